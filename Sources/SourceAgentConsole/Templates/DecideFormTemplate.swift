extension ConsoleTemplates {
    /// The decision buttons of a held FR (hold queue and FR page).
    static let decideForm = """
        <form class="decide" method="post" action="/decide">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="fr" value="{{frId}}">
        <input type="hidden" name="source" value="{{source}}">
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <label>Note <input name="note" size="28"></label>
        <button name="action" value="acknowledge">Acknowledge</button>
        <label><span><input type="checkbox" name="force" value="1"> even beyond stock</span></label>
        <button name="action" value="split">Split</button>
        <label>Reason <select name="reason">{{#reasons}}<option>{{.}}</option>{{/reasons}}</select></label>
        <label>Remainder <select name="remainder"><option>fill</option><option>kill</option></select></label>
        <button name="action" value="cancel">Cancel</button>
        <label>Hold until <input name="until" placeholder="4h or 2026-12-01T09:00:00Z" size="18"></label>
        <button name="action" value="keep-holding">Keep holding</button>
        </form>
        """
}
