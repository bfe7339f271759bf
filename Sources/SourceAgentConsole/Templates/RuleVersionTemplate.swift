extension ConsoleTemplates {
    /// One kept rule version with its diff.
    static let ruleVersion = """
        {{> head}}
        {{#missing}}<p class="refused">No such version of this rule file.</p>{{/missing}}
        {{^missing}}
        <p>Applied {{at}} by {{actor}}{{#note}}: {{note}}{{/note}}.</p>
        <h2>{{#hasBefore}}Changed from the version before{{/hasBefore}}{{^hasBefore}}The first version kept{{/hasBefore}}</h2>
        {{> diffTable}}
        <h2>Text</h2>
        <div class="scroll"><table class="code"><tbody>
        {{#lines}}<tr><td class="n">{{number}}</td><td><code>{{text}}</code></td></tr>
        {{/lines}}
        </tbody></table></div>
        {{/missing}}
        <p><a href="/rules?source={{source}}">Back to the rules</a></p>
        {{> foot}}
        """
}
