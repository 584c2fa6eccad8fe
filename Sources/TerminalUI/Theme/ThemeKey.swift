/// The semantic style slots a theme defines. Screens ask for a role, never for a colour.
public enum ThemeKey: String, CaseIterable, Sendable, Hashable {
    case background
    case text
    case muted
    case accent
    case selection
    case good
    case bad
    case warning
    case border
    case title
    case statusBar = "status-bar"
    case statusBarAccent = "status-bar-accent"
    case tabActive = "tab-active"
    case tabInactive = "tab-inactive"
    case header
    case histogramTeacher = "histogram-teacher"
    case histogramStudent = "histogram-student"
    case deltaLine = "delta-line"
    case dialog
    case input
}
