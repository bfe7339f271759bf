extension ConsoleTemplates {
    /// What an action did, or why it was refused.
    static let result = """
        {{> head}}
        <p class="{{kind}}">{{message}}</p>
        {{#frId}}<p><a href="/fr?q={{frId}}&amp;source={{source}}">Explain this FR</a></p>{{/frId}}
        <p><a href="/holds?source={{source}}">Back to the hold queue</a> · <a href="/?source={{source}}">Overview</a></p>
        {{> foot}}
        """
}
