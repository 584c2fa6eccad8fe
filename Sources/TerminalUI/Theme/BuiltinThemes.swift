extension Theme {
    /// The dark 256-colour default; `themes/default.theme` holds the same values.
    public static let builtinDefault = Theme(
        name: "default",
        styles: [
            .background: Style(foreground: .indexed(252), background: .indexed(234)),
            .text: Style(foreground: .indexed(252), background: .indexed(234)),
            .muted: Style(foreground: .indexed(244), background: .indexed(234)),
            .accent: Style(foreground: .indexed(81), background: .indexed(234), attributes: .bold),
            .selection: Style(foreground: .indexed(231), background: .indexed(25), attributes: .bold),
            .good: Style(foreground: .indexed(114), background: .indexed(234)),
            .bad: Style(foreground: .indexed(203), background: .indexed(234)),
            .warning: Style(foreground: .indexed(221), background: .indexed(234)),
            .border: Style(foreground: .indexed(240), background: .indexed(234)),
            .title: Style(foreground: .indexed(230), background: .indexed(234), attributes: .bold),
            .statusBar: Style(foreground: .indexed(252), background: .indexed(238)),
            .statusBarAccent: Style(foreground: .indexed(234), background: .indexed(81), attributes: .bold),
            .tabActive: Style(foreground: .indexed(234), background: .indexed(81), attributes: .bold),
            .tabInactive: Style(foreground: .indexed(248), background: .indexed(236)),
            .header: Style(foreground: .indexed(81), background: .indexed(236), attributes: .bold),
            .histogramTeacher: Style(foreground: .indexed(75), background: .indexed(234)),
            .histogramStudent: Style(foreground: .indexed(215), background: .indexed(234)),
            .deltaLine: Style(foreground: .indexed(197), background: .indexed(234), attributes: .bold),
            .dialog: Style(foreground: .indexed(231), background: .indexed(237)),
            .input: Style(foreground: .indexed(231), background: .indexed(238)),
        ],
        chartRamp: [.indexed(24), .indexed(30), .indexed(36), .indexed(72), .indexed(108), .indexed(150)]
    )
}
