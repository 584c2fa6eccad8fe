import CNcursesw
import TerminalUI

/// Turns what `get_wch` returns into `Key`s.
enum KeyDecoder {
    /// A function-key code (`get_wch` returned `KEY_CODE_YES`).
    static func decode(keyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND: return .home
        case KEY_END, KEY_SELECT: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        default:
            for n in 1...24 where code == tapir_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// An ordinary character (`get_wch` returned `OK`).
    static func decode(character value: UInt32) -> Key? {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x00: return .ctrl("@")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(0x60 + value)!))
        case 0x1C: return .ctrl("\\")
        case 0x1D: return .ctrl("]")
        case 0x1F: return .ctrl("_")
        default:
            guard let scalar = Unicode.Scalar(value), value >= 0x20 else { return nil }
            return .char(Character(scalar))
        }
    }
}
