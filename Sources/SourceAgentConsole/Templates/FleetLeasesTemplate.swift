extension ConsoleTemplates {
    /// Which process answers each source (overview).
    static let fleetLeases = """
        {{#hasLeases}}
        <h2>Fleet</h2>
        <div class="scroll"><table class="list" id="fleet-leases"><thead><tr><th>Source</th><th>Answered by</th><th>Epoch</th><th>Lease</th><th>Takeovers</th><th>Rules</th><th>Last cycle</th></tr></thead><tbody>
        {{#leases}}<tr><td>{{source}}</td><td>{{holder}}</td><td>{{epoch}}</td><td>{{expires}}</td><td>{{takeovers}}</td><td>{{rules}}</td><td>{{#lastCycle}}<span title="{{exact}}">{{text}}</span>{{/lastCycle}}{{^lastCycle}}none{{/lastCycle}}</td></tr>
        {{/leases}}
        </tbody></table></div>
        {{/hasLeases}}
        {{> fleetRules}}
        """
}
