extension ConsoleTemplates {
    /// Which rule version each live process decides by (overview and rules page).
    static let fleetRules = """
        <table class="list" id="fleet-rules"><caption>Loaded by the fleet's processes</caption>
        <thead><tr><th>Process</th><th>Version</th><th>Loaded</th><th>Last looked</th></tr></thead><tbody>
        {{#fleetRules}}<tr><td>{{process}}</td><td>{{version}}{{^current}} <span class="warn">out of date</span>{{/current}}{{#problem}}<br><span class="warn">{{problem}}</span>{{/problem}}</td><td>{{#loaded}}<span title="{{exact}}">{{text}}</span>{{/loaded}}</td><td>{{#seen}}<span title="{{exact}}">{{text}}</span>{{/seen}}</td></tr>
        {{/fleetRules}}
        </tbody></table>
        """
}
