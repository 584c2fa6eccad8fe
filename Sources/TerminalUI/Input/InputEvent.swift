/// Everything the UI loop reacts to. The backend decodes terminal input into these.
public enum InputEvent: Hashable, Sendable {
    /// A key press.
    case key(Key)
    /// A mouse click or wheel movement (only when mouse support is on).
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
    /// A periodic timer tick (refresh live data).
    case tick
    /// Another thread posted work and woke the UI thread.
    case wake
    /// The process was asked to stop (SIGTERM, SIGHUP): save what matters; the loop ends after this.
    case terminate
}

/// A mouse event at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case press(button: Int)
        case release
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
