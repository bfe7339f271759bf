extension ConsoleTemplates {
    /// The end of every page (and the live script of pages that keep current).
    static let foot = """
        </main>
        {{#live}}<script>\(ConsoleLive.script)</script>{{/live}}
        </body>
        </html>

        """
}
