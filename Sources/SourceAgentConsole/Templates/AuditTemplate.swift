extension ConsoleTemplates {
    /// The audit log.
    static let audit = """
        {{> head}}
        <p>Everything people did in the console: decisions, retries, uploads, pauses, rule changes, sign-ins.</p>
        {{^entries}}<p>Nothing yet.</p>{{/entries}}
        <div class="scroll"><table class="list"><thead><tr><th>When</th><th>Who</th><th>What</th><th>Source</th><th>Detail</th></tr></thead><tbody>
        {{#entries}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{source}}</td><td>{{detail}}</td></tr>
        {{/entries}}
        </tbody></table></div>
        {{#older}}<p><a href="/audit?before={{older}}">Older entries</a></p>{{/older}}
        {{> foot}}
        """
}
