extension ConsoleTemplates {
    /// What a tracking upload did, or why it was refused.
    static let trackingResult = """
        {{> head}}
        {{#written}}<p class="notice">{{summary}}.</p>{{/written}}
        {{^written}}<p class="refused">The file was not imported: nothing was written. Fix these lines and upload it again.</p>{{/written}}
        {{#problems}}<p class="refused">{{.}}</p>{{/problems}}
        <p><a href="/shipments?source={{source}}">Back to shipments</a></p>
        {{> foot}}
        """
}
