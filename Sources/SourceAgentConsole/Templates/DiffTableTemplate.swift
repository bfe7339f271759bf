extension ConsoleTemplates {
    /// A line diff.
    static let diffTable = """
        <div class="scroll"><table class="code diff"><tbody>
        {{#diff}}<tr class="{{kind}}"><td class="n">{{mark}}</td><td><code>{{text}}</code></td></tr>
        {{/diff}}
        </tbody></table></div>
        """
}
