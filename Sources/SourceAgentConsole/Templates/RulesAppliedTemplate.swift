extension ConsoleTemplates {
    /// A rule change applied (or found unchanged), with its diff.
    static let rulesApplied = """
        {{> head}}
        <p class="notice">{{message}}</p>
        {{> diffTable}}
        <p><a href="/rules?source={{source}}">Back to the rules</a> · <a href="/decisions?source={{source}}">Decisions</a></p>
        {{> foot}}
        """
}
