/// `rules.example.yaml`, compiled in so `demo` works from any folder and from an installed
/// binary. A test keeps it identical to the file at the repository root.
enum ExampleRules {
    static let fileName = "rules.example.yaml"

    static let text = #"""
        # source-agent rule file for a small 3PL shipping parcels from Dallas and Reno.
        #
        # How it works: for every new fulfillment request (FR) the agent computes facts
        # (stock, address checks, ship dates) and tries the rules below from top to bottom.
        # The FIRST rule whose `when` is true decides; if none matches, `default` decides.
        # Check this file with:   source-agent rules check rules.example.yaml
        # Test it with:           source-agent rules test examples/rules.example.test.yaml
        version: 1

        warehouse:
          timezone: America/Chicago          # all dates and the cutoff are read in this zone
          cutoff: "14:00"                    # orders decided at or after 2 pm ship the next ship day
          handling_days: 0                   # we ship the same day we pick
          ship_days: [mon, tue, wed, thu, fri]
          holidays: [2026-11-26, 2026-12-25, 2027-01-01]
          country: US                        # decides address.domestic

        stock:
          safety_stock: 1                    # keep 1 unit of every SKU back for damages and recounts
          locations: [dallas, reno]          # try to ship everything from Dallas first, then Reno
          # Kits (a SKU built from others) are not written here: `source-agent kits import kits.csv`.

        lists:
          freight_skus: [FRT-100, FRT-200]   # pallet items: truck freight only
          embargoed: [CU, IR, KP, SY]        # destinations we may not ship to
          discontinued_skus: [SKU-OLD-1, SKU-OLD-2]
          parcel_countries: [US, CA]         # countries we ship to without customs review

        guards:
          max_cancel_share: 0.5              # if one poll cycle would cancel more than half ...
          min_cycle_size: 10                 # ... of at least 10 FRs, hold those cancels for a person

        rules:
          # 1. Legal first: never ship to an embargoed country. `kill` ends the order line
          #    rather than offering it to another source.
          - name: embargoed-destination
            when: address.country in lists.embargoed
            then: cancel
            reason: restricted_destination
            remainder: kill
            note: "destination {address.country} is embargoed"

          # 2. Items we no longer carry.
          - name: discontinued-item
            when: any(items, item.sku in lists.discontinued_skus)
            then: cancel
            reason: discontinued
            remainder: kill

          # 3. A pallet cannot be delivered to a PO box. `fill` (the default) lets Flxpoint
          #    route the order to another source.
          - name: freight-to-po-box
            when: address.po_box and any(items, item.sku in lists.freight_skus)
            then: cancel
            reason: address_invalid
            note: "freight cannot go to a PO box"

          # 4. A bad address is not a reason to lose the order: hold it for a person,
          #    who can fix it with the customer. Held FRs are decided again every cycle.
          - name: address-needs-review
            when: not address.valid
            then: hold
            note: "address problems: {address.problems}"
            # Nobody fixed it in two days: let Flxpoint route the order to another source.
            escalate: { after: 48h, then: cancel, reason: address_invalid }

          # 5. APO/FPO/DPO mail only travels by USPS.
          - name: military-needs-usps
            when: address.military and upper(fr.carrier) != "USPS"
            then: hold
            note: "military address but carrier is {fr.carrier}; switch to USPS"

          # 6. Outside our parcel countries someone must prepare customs papers.
          - name: international-review
            when: not address.domestic and address.country not in lists.parcel_countries
            then: hold
            note: "international shipment to {address.country} needs customs paperwork"

          # 7. If we cannot ship by the ship-by date, say so now so Flxpoint can re-route.
          - name: too-late
            when: not ship.meets_ship_by
            then: cancel
            reason: cannot_meet_ship_by
            note: "earliest ship {ship.earliest} is {ship.days_late} ship day(s) late"

          # 8. Big orders get a second pair of eyes.
          - name: high-value-review
            when: fr.value > 2500
            then: hold
            note: "order worth {fr.value} needs approval"

          # 9. Everything in stock: acknowledge the whole FR.
          - name: ship-complete
            when: stock.covers_all
            then: acknowledge

          # 10. Part in stock: ship what we have, release the rest to other sources.
          #     (A split that covers nothing becomes a cancel with reason out_of_stock.)
          - name: ship-what-we-have
            when: stock.covers_any and fr.units >= 2
            then: split
            remainder: fill

        # Nothing matched: we have none of it. Release it so another source can fill it.
        default:
          then: cancel
          reason: out_of_stock
          remainder: fill

        """#
}
