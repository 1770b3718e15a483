"""The report's sentences and labels, in Swedish and English.

Swedish first and in plain language (klarspråk): short sentences, everyday words, the reader
addressed directly. Every key exists in both languages (a test checks it).
"""

from __future__ import annotations

LAYOUT = {
    "sv": {
        "contents": "Innehåll",
        "page": "Sida",
        "figure": "Figur",
        "table": "Tabell",
        "note": "Not",
        "generated": "Skapad",
        "about": "Om rapporten",
        "of": "av",
    },
    "en": {
        "contents": "Contents",
        "page": "Page",
        "figure": "Figure",
        "table": "Table",
        "note": "Note",
        "generated": "Created",
        "about": "About the report",
        "of": "of",
    },
}

T: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Jämställdhetsuppföljning {year}",
        "title_no_year": "Jämställdhetsuppföljning",
        "subtitle_board": "Könsuppdelad uppföljning av insatserna – underlag till styrelsen",
        "subtitle_steering": "Rapport till styrgruppen för {name}",
        "all_interventions": "Alla insatser",
        "period_year": "under {year}",
        "period_all": "under hela perioden",
        "summary": "Sammanfattning",
        "summary_lead": (
            "Rapporten visar hur kvinnor och män har tagit del av {what} {period}: vilka som deltog, vilka "
            "delinsatser de fick, hur det gick efter avslut och hur mycket resurser som lades på dem. En "
            "skillnad som inte förklaras av deltagarnas behov och förutsättningar kallar vi en möjlig "
            "omotiverad skillnad. Den behöver utredas – den är inte i sig ett bevis på att någon har "
            "behandlats fel."
        ),
        "what_board": "de insatser som {org} finansierade",
        "what_board_no_org": "de insatser som förbundet finansierade",
        "what_steering": "insatsen {name}",
        "kf_women": "Kvinnor",
        "kf_men": "Män",
        "kf_share": "{share} av deltagarna",
        "kf_interventions": "Insatser",
        "kf_flagged": "Möjliga omotiverade skillnader",
        "kf_explained": "Skillnader som förklaras av behov",
        "kf_comparisons": "av {n} jämförelser",
        "kf_enrolments_note": (
            "Antalet räknar inskrivningar: den som deltog i flera insatser räknas en gång per insats."
        ),
        "interventions_list": "Rapporten omfattar {n} insatser: {names}.",
        "kf_excluded": "Antalen omfattar inte {names}, som hade för få deltagare för att redovisas.",
        "flagged_head": "Möjliga omotiverade skillnader",
        "flagged_none": "Vi hittade inga möjliga omotiverade skillnader mellan kvinnor och män.",
        "flagged_count": (
            "Vi hittade {n} möjliga omotiverade skillnader. Var och en beskrivs närmare i avsnittet Möjliga "
            "omotiverade skillnader. De är:"
        ),
        "flagged_count_one": "Vi hittade en möjlig omotiverad skillnad:",
        "explained_head": "Skillnader som förklaras av behov",
        "explained_none": "Ingen av skillnaderna förklaras helt av deltagarnas behov och förutsättningar.",
        "explained_count": (
            "{n} skillnader försvinner när vi tar hänsyn till deltagarnas behov och förutsättningar, till "
            "exempel:"
        ),
        "explained_count_one": (
            "En skillnad försvinner när vi tar hänsyn till deltagarnas behov och förutsättningar:"
        ),
        "overview_head": "Deltagande, delinsatser, resultat och resurser",
        "col_area": "Område",
        "col_comparisons": "Jämförelser",
        "col_flagged": "Möjligen omotiverade",
        "col_explained": "Förklaras av behov",
        "col_none": "Ingen säkerställd skillnad",
        "change_head": "Förändring sedan förra året",
        "change_none": (
            "Rapporten jämför inte med föregående år, eftersom ingen analys av föregående år fanns med när "
            "rapporten skapades."
        ),
        "change_counts": (
            "Jämfört med {prev}: {new} nya möjliga omotiverade skillnader, {kept} kvar och {gone} borta "
            "(med statistiskt säkerställd förändring); {untested} har ändrat status utan säkerställd "
            "förändring."
        ),
        "change_list": "Förändringarna, var och en med sitt test:",
        "change_same": "Inga möjliga omotiverade skillnader vare sig {prev} eller i år.",
        "change_share": "Andelen kvinnor bland deltagarna var {now} i år och {before} {prev}.",
        "prev_year": "förra året",
        "todo_head_board": "Förslag till styrelsen",
        "todo_head_steering": "Förslag till styrgruppen",
        "todo_board": (
            "Be styrgrupperna för de berörda insatserna att ta reda på orsakerna till de möjliga "
            "omotiverade skillnaderna.|Besluta om åtgärder i handlingsplanen, med ansvarig och datum.|Följ "
            "upp skillnaderna i nästa års rapport."
        ),
        "todo_steering": (
            "Gå igenom de möjliga omotiverade skillnaderna och ta reda på orsakerna.|Föreslå åtgärder till "
            "förbundets handlingsplan, med ansvarig och datum.|Följ upp skillnaderna vid nästa uppföljning."
        ),
        "todo_nothing": "Fortsätt att följa upp könsuppdelad statistik varje år.",
        "findings": "Möjliga omotiverade skillnader",
        "findings_lead": (
            "Här beskrivs varje jämförelse där kvinnor och män skilde sig åt. En skillnad är möjligen "
            "omotiverad när den finns kvar efter att vi har tagit hänsyn till deltagarnas behov och "
            "förutsättningar, till exempel försörjning vid inskrivning, ålder och utbildning. En skillnad "
            "förklaras av behov när den försvinner när vi tar hänsyn till dem. Ett negativt tal betyder att "
            "värdet är lägre för kvinnor än för män."
        ),
        "findings_flagged": "Möjliga omotiverade skillnader",
        "findings_explained": "Skillnader som förklaras av behov",
        "findings_none_flagged": "Inga möjliga omotiverade skillnader hittades.",
        "findings_none_explained": "Inga skillnader förklarades av behov.",
        "findings_chart": "Skillnader mellan kvinnor och män efter justering för behov",
        "findings_chart_alt": (
            "Diagram över skillnaden mellan kvinnor och män (kvinnor minus män) i procentenheter efter "
            "justering för behov, med 95 procents konfidensintervall. Värden under noll betyder lägre för "
            "kvinnor. "
        ),
        "fact_women": "Kvinnor",
        "fact_men": "Män",
        "fact_target": "Andel kvinnor i målgruppen",
        "fact_share_women": "Andel kvinnor bland deltagarna",
        "fact_raw": "Skillnad utan justering",
        "fact_adjusted": "Skillnad efter justering",
        "fact_adjusted_for": "Justerat för",
        "fact_ratio": "Kvot kvinnor/män",
        "fact_certainty": "Statistisk säkerhet",
        "fact_n": "Underlag",
        "n_people": "{w} kvinnor och {m} män",
        "n_other_few": " och färre än {t} med annat eller okänt kön (ingår inte i jämförelsen)",
        "n_other": ", {o} med annat eller okänt kön (ingår inte i jämförelsen)",
        "ci": "95 % konfidensintervall {low} till {high}",
        "q_text": "q {q} (p-värde justerat för många jämförelser)",
        "nothing": "inget",
        "too_few": "Färre än {t} kvinnor eller män: värdena visas inte för att skydda enskilda personer.",
        "vs_men": "{women} för kvinnor och {men} för män",
        "default_higher": "{what}: {value} {higher} för {sex} ({status}).",
        "higher": "högre",
        "women_word": "kvinnor",
        "men_word": "män",
        "participation": "Deltagande och målgrupp",
        "participation_lead": (
            "Här jämförs andelen kvinnor bland deltagarna med andelen kvinnor i insatsens målgrupp, det "
            "vill säga de personer som insatsen är till för. Om kvinnor är färre bland deltagarna än i "
            "målgruppen kan det betyda att insatsen inte når kvinnor lika väl som män, eller tvärtom."
        ),
        "participation_chart": "Andel kvinnor bland deltagarna och i målgruppen",
        "participation_chart_alt": (
            "Stapeldiagram över andelen kvinnor bland deltagarna per insats, med 95 procents "
            "konfidensintervall, jämfört med andelen kvinnor i målgruppen (svart streck). "
        ),
        "share_women_bar": "Andel kvinnor bland deltagarna",
        "share_women_ref": "Andel kvinnor i målgruppen",
        "share_axis": "Andel kvinnor (%)",
        "participation_table": "Deltagare och målgrupp per insats",
        "participants_sub": "Deltagare",
        "target_sub": "Målgruppens sammansättning",
        "component": "Delinsatser",
        "component_lead": (
            "Delinsatser är det stöd deltagarna får inom en insats, till exempel arbetsträning, praktik "
            "eller samtalsstöd. Här visas hur stor andel av kvinnorna och av männen som fick varje "
            "delinsats."
        ),
        "outcome": "Resultat efter avslut",
        "outcome_lead": (
            "Här visas vad deltagarna gick till när de avslutade insatsen, till exempel arbete, studier "
            "eller fortsatt rehabilitering, som andel av kvinnorna och av männen som avslutade."
        ),
        "rate_chart": "{what}: andel kvinnor och män, {where}",
        "rate_chart_alt": (
            "Stapeldiagram över {what_lower} för kvinnor och män ({where_lower}), i procent, med 95 "
            "procents konfidensintervall. "
        ),
        "rate_axis": "Andel (%)",
        "rate_table_overall": "{what} för kvinnor och män, {where}",
        "rate_table_per": "{what} för kvinnor och män per insats",
        "resource": "Resurser",
        "resource_lead": (
            "Här jämförs hur mycket resurser som lades på kvinnor och på män: personaltid, kostnad och tid "
            "i insatsen. Ett jämställt arbetssätt innebär att resurserna fördelas efter behov, inte efter "
            "kön."
        ),
        "resource_chart": "{what}: skillnad mellan kvinnor och män",
        "resource_chart_alt": (
            "Diagram över skillnaden i {what_lower} mellan kvinnor och män (kvinnor minus män) per insats, "
            "med 95 procents konfidensintervall. Värden under noll betyder mindre för kvinnor. "
        ),
        "resource_table": "Resurser för kvinnor och män",
        "diff_axis": "Skillnad kvinnor − män ({unit})",
        "lower_women": "← lägre för kvinnor",
        "higher_women": "högre för kvinnor →",
        "decomposition_sub": "Vad förklarar skillnaderna i resurser?",
        "decomposition_lead": (
            "Skillnaden mellan kvinnors och mäns genomsnitt delas här upp i två delar. Den förklarade delen "
            "beror på att kvinnor och män i genomsnitt har olika behov och förutsättningar, till exempel "
            "olika försörjning vid inskrivning. Den oförklarade delen finns kvar även när kvinnor och män "
            "med samma behov jämförs. Det är den delen som kan vara omotiverad. Metoden kallas "
            "Blinder–Oaxaca-uppdelning."
        ),
        "decomposition_chart": "{what}, {where}: förklarad och oförklarad skillnad",
        "decomposition_chart_alt": (
            "Stapeldiagram över skillnaden i {what_lower} mellan kvinnor och män ({where_lower}): total "
            "skillnad {gap}, varav {explained} förklaras av skillnader i behov och förutsättningar och "
            "{unexplained} inte förklaras. "
        ),
        "dec_total": "Total skillnad",
        "dec_explained": "Förklaras av behov och förutsättningar",
        "dec_unexplained": "Förklaras inte",
        "dec_by": "varav {what}",
        "dec_group_total": "Total skillnad",
        "dec_group_parts": "Förklarad och oförklarad del",
        "dec_group_vars": "Förklarad del per faktor",
        "dec_table": "Uppdelning av skillnader i resurser",
        "dec_col_resource": "Resurs",
        "dec_col_where": "Insats",
        "dec_col_women": "Kvinnor, medel",
        "dec_col_men": "Män, medel",
        "dec_col_gap": "Skillnad",
        "dec_col_explained": "Förklarad del",
        "dec_col_unexplained": "Oförklarad del",
        "dec_axis": "Kvinnor − män ({unit})",
        "intersectional": "Kön och andra förhållanden (intersektionell analys)",
        "intersectional_lead": (
            "Kön samverkar med andra förhållanden, till exempel ålder, utbildning och om man är född "
            "utomlands. Tabellerna visar kvinnor och män uppdelade efter sådana förhållanden, så att "
            "skillnader som bara gäller vissa grupper blir synliga."
        ),
        "intersectional_none": "Analysen innehåller inga intersektionella tabeller.",
        "trend": "Utveckling över tid",
        "trend_lead": "Här visas hur könsfördelningen och skillnaderna har utvecklats från år till år.",
        "trend_none": (
            "Analysen innehåller inga uppgifter för flera år och ingen analys av föregående år fanns med, "
            "så utvecklingen över tid kan inte visas."
        ),
        "trend_share": "Andel kvinnor",
        "trend_chart_alt": "Linjediagram över {what_lower} per år. ",
        "yoy_table": "Jämförelse med {prev}",
        "yoy_measure": "Mått",
        "yoy_before": "{prev}",
        "yoy_now": "I år",
        "yoy_change": "Förändring",
        "yoy_participants_w": "Kvinnor som deltog",
        "yoy_participants_m": "Män som deltog",
        "yoy_share": "Andel kvinnor (%)",
        "yoy_flagged": "Möjliga omotiverade skillnader",
        "yoy_explained": "Skillnader som förklaras av behov",
        "status_table": "Bedömningar som har ändrats sedan {prev}",
        "col_comparison": "Jämförelse",
        "col_before": "{prev}",
        "col_now": "I år",
        "not_compared": "Inte jämförd",
        "other_tables": "Fler tabeller",
        "method": "Metodbilaga",
        "method_lead": (
            "Bilagan beskriver hur siffrorna har tagits fram. Den är skriven för den som inte är statistiker."
        ),
        "m_data": "Vad som jämförs",
        "m_data_text": (
            "Underlaget är uppgifter om deltagarna i de insatser som förbundet finansierar: kön, ålder, "
            "utbildning, försörjning vid inskrivning, vilka delinsatser de fick, hur mycket personaltid och "
            "pengar som lades på dem och vad de gick till efter avslut. {period_text} Personer med annat "
            "eller okänt kön räknas i antalen men ingår inte i jämförelserna mellan kvinnor och män, "
            "eftersom de är för få för säkra jämförelser."
        ),
        "m_period_year": "Rapporten gäller inskrivningar som började {year}.",
        "m_period_all": "Rapporten gäller alla år i underlaget.",
        "m_tests": "Hur skillnader prövas",
        "m_tests_text": (
            "För varje jämförelse räknar vi ut skillnaden mellan kvinnor och män (kvinnor minus män). För "
            "andelar anges skillnaden i procentenheter, för resurser i timmar, kronor, dagar eller procent. "
            "Konfidensintervallet är det intervall inom vilket den verkliga skillnaden troligen ligger (med "
            "95 procents säkerhet). Om intervallet inte innehåller noll är skillnaden statistiskt "
            "säkerställd: den beror sannolikt inte på slumpen."
        ),
        "m_methods_used": "Metoder som används i den här analysen: {items}.",
        "m_adjust": "Justering för behov",
        "m_adjust_text": (
            "Kvinnor och män som kommer till insatserna har ofta olika behov. Till exempel har kvinnor "
            "oftare sjukpenning vid inskrivningen. En del skillnader är därför motiverade. För att skilja "
            "motiverade från möjligen omotiverade skillnader jämför vi kvinnor och män med samma behov och "
            "förutsättningar, med en statistisk modell (regression). {covariates}"
        ),
        "m_adjust_covariates": "I den här analysen justeras för {items}.",
        "m_multiple": "Många jämförelser",
        "m_multiple_text": (
            "När man gör många jämförelser blir några skillnader statistiskt säkerställda av ren slump. "
            "Därför justeras p-värdena med Benjamini–Hochbergs metod. Det justerade värdet kallas q-värde. "
            "En skillnad räknas bara om q-värdet är mindre än {q}. Då är högst {q_pct} av de skillnader som "
            "pekas ut falsklarm, i genomsnitt."
        ),
        "m_rules": "Hur en skillnad bedöms",
        "m_rule_unjustified": (
            "Möjlig omotiverad skillnad: en skillnad som spelar roll (minst gränsen nedan) finns kvar och är "
            "statistiskt säkerställd (q-värde under gränsen) även när kvinnor och män med samma behov "
            "jämförs. Riktningen är den som gäller efter justeringen."
        ),
        "m_rule_explained": (
            "Skillnaden förklaras av behov: utan justering finns en säkerställd skillnad som spelar roll, och "
            "efter justeringen ligger hela 95-procentsintervallet inom gränsen åt båda hållen. En skillnad "
            "som spelar roll är alltså utesluten (ett ekvivalenstest, två ensidiga test enligt Schuirmann). "
            "Att den justerade skillnaden bara inte är säkerställd räcker inte."
        ),
        "m_rule_uncertain": (
            "Osäkert: utan justering finns en säkerställd skillnad som spelar roll, men data räcker inte för "
            "att avgöra om behov förklarar den: gruppen är för liten för att justera, eller intervallet efter "
            "justeringen rymmer fortfarande skillnader som spelar roll. Då visas skillnaden med sitt "
            "intervall och vad som skulle behövas (fler år sammanslagna eller fler deltagare)."
        ),
        "m_rule_none": (
            "Ingen säkerställd skillnad: utan justering finns ingen statistiskt säkerställd skillnad som "
            "spelar roll. Det betyder inte att det inte finns någon skillnad: intervallet visar hur stor "
            "den kan vara."
        ),
        "m_rule_covariates": (
            "Varje jämförelse anger exakt vilka behov den är justerad för och vilka som inte kunde tas med, "
            "och varför (till exempel för få fall). För förbundet som helhet får behoven ha olika betydelse i "
            "olika insatser (samspel mellan behov och insats). Standardfelen tar hänsyn till att samma person "
            "kan vara inskriven flera gånger (klusterrobusta standardfel per person; med fler än 50 000 personer "
            "med flera inskrivningar skattas den delen på ett fast slumpurval av dem). Utfall räknas bara för "
            "avslutade inskrivningar; hur många som pågår anges."
        ),
        "m_rule_change": (
            "En skillnad kallas ny eller åtgärdad jämfört med förra året bara om förändringen mellan åren i "
            "sig är statistiskt säkerställd (z-test av skillnaden mellan årens skattningar). Annars står det "
            "att statusen har ändrats men att förändringen inte är säkerställd."
        ),
        "m_rule_participation": (
            "För deltagande jämförs andelen kvinnor bland deltagarna med andelen kvinnor i målgruppen. "
            "Skillnaden räknas som möjligen omotiverad när den är statistiskt säkerställd."
        ),
        "m_rule_size": (
            "En skillnad pekas bara ut om den är tillräckligt stor för att spela roll: minst {pp} "
            "procentenheter för andelar och minst {rel} av männens genomsnitt för resurser."
        ),
        "m_not_compared": (
            "{n} jämförelser gjordes inte, eftersom det fanns färre än {k} kvinnor eller män att jämföra, "
            "eller ingen målgrupp att jämföra deltagarna med."
        ),
        "m_rounded": (
            "Antalen kvinnor och män bakom varje jämförelse är samma skyddade antal som tabellerna visar för "
            "samma personer. Andelar, skillnader, riskkvoter och konfidensintervall visas bara när både de "
            "som fick något och de som inte fick det är minst {t} kvinnor och minst {t} män, och de skyddade "
            "antalen visar det (ett skyddat antal på {t} eller {next} kan vara färre än {t} personer); annars "
            "visas ingen av dem (..), så att en dold uppgift inte kan räknas fram ur de andra och så att det "
            "att något inte visas inte säger mer än antalen bredvid. Alla tal visas med samma antal decimaler "
            "i alla format."
        ),
        "m_oaxaca": "Uppdelning av skillnader i resurser",
        "m_oaxaca_text": (
            "Skillnader i genomsnittliga resurser delas upp med Blinder–Oaxaca-metoden i en förklarad del "
            "(kvinnor och män har olika behov och förutsättningar) och en oförklarad del (skillnaden mellan "
            "kvinnor och män med samma behov). De två delarna summerar till hela skillnaden."
        ),
        "m_disclosure": "Skydd för enskilda personer",
        "m_disclosure_text": (
            "Inga uppgifter i rapporten ska kunna kopplas till en enskild person, inte heller om man lägger "
            "ihop rapportens tabeller, andra format, rapporter för enskilda insatser, tidigare års rapporter "
            "och det som visas på webben och i portalen. Därför skyddas alla antal på samma sätt, med "
            "cell key-metoden som SCB använder för befolkningsstatistiken från 2025: varje person har en "
            "hemlig nyckel, och varje antal justeras med ett litet slumpmässigt tal som bestäms av "
            "personerna bakom det. Samma grupp personer får därför alltid samma värde, var det än visas, "
            "och inget antal mellan 1 och {t1} visas: små antal blir {t} eller något större, och 0 betyder "
            "alltid att ingen finns. "
            "Personer med annat eller okänt kön räknas alltid med, men redovisas tillsammans i en kolumn "
            "(oftast är de mycket få), så att tabellerna för kvinnor och män per insats kan visas i sin "
            "helhet. Andelar kvinnor räknas fram ur de skyddade antalen."
        ),
        "m_disclosure_cellkey": (
            "Eftersom varje antal och varje summa över raderna justeras för sig summerar delarna inte alltid "
            "exakt till totalen (raden Totalt); summan av kvinnor, män och annat/okänt kön är däremot summan av "
            "de visade talen. Större antal ändras med högst fyra enheter. "
            "Ibland skulle en liten total tillsammans med de andra talen i samma kolumn visa att en grupp har "
            "färre än {t} personer. Då visas inte kolumnens små tal (..), inte heller nollorna, så att man inte kan se "
            "vilka grupper som är tomma; i tabellen över deltagare per år visas i stället inte kolumnens total. "
            "Bedömningen av varje skillnad (möjligen "
            "omotiverad, förklaras av behov, osäker, ingen säkerställd skillnad) görs på de ojusterade "
            "uppgifterna; de andelar, skillnader och intervall som visas räknas ur de skyddade antalen och "
            "kan därför avvika något, oftast med några tiondels procentenheter, från dem bedömningen bygger på."
        ),
        "m_symbols": "Teckenförklaring",
        "m_symbol_suppressed": ".. Uppgiften visas inte för att skydda enskilda personer.",
        "m_symbol_ckm": (
            "† Antalen är skyddade med cell key-metoden: de är justerade med små slumpmässiga tal, så delarna "
            "summerar inte alltid till totalen. Andelar och skillnader är räknade ur de skyddade antalen."
        ),
        "m_symbol_missing": "– Uppgift saknas eller kan inte beräknas.",
        "m_symbol_ci": "KI Konfidensintervall (95 procent).",
        "m_symbol_pp": (
            "Procentenheter: skillnaden mellan två procenttal, till exempel 40 % − 30 % = 10 procentenheter."
        ),
        "about_report": "Rapport",
        "about_org": "Organisation",
        "about_year": "År",
        "about_year_all": "Alla år",
        "about_intervention": "Insats",
        "about_created": "Skapad",
        "about_tool": "Skapad med",
        "about_threshold": "Röjandeskydd",
        "about_threshold_text": "Cell key-metoden: inga antal mellan 1 och {t1} visas; små avvikelser i summor.",
        "about_comparisons": "Jämförelser",
        "about_comparisons_text": (
            "{n} jämförelser, varav {f} möjliga omotiverade skillnader och {e} förklarade av behov."
        ),
        "about_previous": "Jämförs med",
        "about_symbols": "Teckenförklaring",
        "about_symbols_text": (
            ".. = visas inte för att skydda enskilda personer; – = uppgift saknas; † = skyddade antal "
            "(cell key-metoden), delarna summerar inte alltid till totalen."
        ),
        "generic_note": ".. = uppgiften visas inte för att skydda enskilda personer.",
        "counts_persons": "Antal personer.",
        "counts_sex_by": (
            "Antal personer. Den som hade olika värden vid olika inskrivningar räknas en gång för varje värde, "
            "även i raden Totalt."
        ),
        "counts_participants_by_intervention": (
            "Antal personer. Den som deltog i flera insatser räknas i varje insats men bara en gång i raden Totalt."
        ),
        "counts_participants_by_year": (
            "Antal personer per inskrivningsår. Raden Totalt räknar en person en gång för varje år hon eller han "
            "deltog."
        ),
        "counts_representation": "Andel kvinnor av antalet personer i varje insats.",
        "counts_enrolments_by_sex": "Antal inskrivningar: den som skrevs in flera gånger räknas varje gång.",
        "counts_components_by_sex": (
            "Antal inskrivningar som fick delinsatsen. En inskrivning kan få flera delinsatser, så raderna "
            "summeras inte."
        ),
        "counts_outcomes_by_sex": "Antal avslutade inskrivningar.",
        "counts_year_on_year": "Antal personer, var och en räknad en gång.",
        "counts_findings_participation": "Antal personer.",
        "counts_findings_component": "Antal inskrivningar; andelarna är andelen inskrivningar som fick delinsatsen.",
        "counts_findings_outcome": "Antal avslutade inskrivningar; andelarna är andelen av dem med resultatet.",
        "counts_findings_resource": "Antal inskrivningar med uppgift om resursen; medelvärden per inskrivning.",
        "small_n_note": "Uppgifter som kan bygga på färre än {t} kvinnor eller män visas inte (..).",
        "ckm_ref": "† Skyddade antal, se ”Skydd för enskilda personer” i metodavsnittet.",
        "approx": "cirka",
        "col_intervention": "Insats",
        "col_n_women": "Antal kvinnor",
        "col_n_men": "Antal män",
        "col_women_pct": "Kvinnor (%)",
        "col_men_pct": "Män (%)",
        "col_women_mean": "Kvinnor, medel",
        "col_men_mean": "Män, medel",
        "col_share_women": "Andel kvinnor (%)",
        "col_target": "Målgruppen (%)",
        "col_diff_pp": "Skillnad (procentenheter)",
        "col_diff": "Skillnad",
        "col_ci": "95 % KI",
        "col_adjusted": "Efter justering",
        "col_status": "Bedömning",
        "category_component": "Delinsats",
        "category_outcome": "Resultat",
        "category_resource": "Resurs",
    },
    "en": {
        "title": "Gender-equality follow-up {year}",
        "title_no_year": "Gender-equality follow-up",
        "subtitle_board": "Sex-disaggregated follow-up of the interventions – for the board",
        "subtitle_steering": "Report to the steering group of {name}",
        "all_interventions": "All interventions",
        "period_year": "in {year}",
        "period_all": "over the whole period",
        "summary": "Summary",
        "summary_lead": (
            "This report shows how women and men took part in {what} {period}: who took part, which "
            "components they received, how they fared after exit and how much resources were spent on them. "
            "A difference that participants' needs and circumstances do not explain is called a possible "
            "unjustified difference. It needs to be looked into – it is not in itself proof that anyone was "
            "treated wrongly."
        ),
        "what_board": "the interventions funded by {org}",
        "what_board_no_org": "the interventions funded by the association",
        "what_steering": "the intervention {name}",
        "kf_women": "Women",
        "kf_men": "Men",
        "kf_share": "{share} of participants",
        "kf_interventions": "Interventions",
        "kf_flagged": "Possible unjustified differences",
        "kf_explained": "Differences explained by needs",
        "kf_comparisons": "of {n} comparisons",
        "kf_enrolments_note": (
            "The numbers count enrolments: a person in several interventions counts once in each."
        ),
        "interventions_list": "The report covers {n} interventions: {names}.",
        "kf_excluded": "The numbers do not include {names}, which had too few participants to be reported.",
        "flagged_head": "Possible unjustified differences",
        "flagged_none": "We found no possible unjustified differences between women and men.",
        "flagged_count": (
            "We found {n} possible unjustified differences. Each is described further in the section "
            "Possible unjustified differences. They are:"
        ),
        "flagged_count_one": "We found one possible unjustified difference:",
        "explained_head": "Differences explained by needs",
        "explained_none": (
            "None of the differences is fully explained by participants' needs and circumstances."
        ),
        "explained_count": (
            "{n} differences disappear when participants' needs and circumstances are taken into account, "
            "for example:"
        ),
        "explained_count_one": (
            "One difference disappears when participants' needs and circumstances are taken into account:"
        ),
        "overview_head": "Participation, components, outcomes and resources",
        "col_area": "Area",
        "col_comparisons": "Comparisons",
        "col_flagged": "Possibly unjustified",
        "col_explained": "Explained by needs",
        "col_none": "No established difference",
        "change_head": "Changes since last year",
        "change_none": (
            "The report does not compare with the previous year: no analysis of that year was given."
        ),
        "change_counts": (
            "Compared with {prev}: {new} new possible unjustified differences, {kept} remaining and {gone} "
            "gone (with a statistically established change); {untested} changed status without an "
            "established change."
        ),
        "change_list": "The changes, each with its test:",
        "change_same": "No possible unjustified differences in {prev} or this year.",
        "change_share": "The share of women among participants was {now} this year and {before} in {prev}.",
        "prev_year": "last year",
        "todo_head_board": "Suggestions to the board",
        "todo_head_steering": "Suggestions to the steering group",
        "todo_board": (
            "Ask the steering groups of the interventions concerned to find the causes of the possible "
            "unjustified differences.|Decide on actions in the action plan, with owners and dates.|Follow "
            "up the differences in next year's report."
        ),
        "todo_steering": (
            "Go through the possible unjustified differences and find their causes.|Propose actions for the "
            "association's action plan, with owners and dates.|Follow up the differences next time."
        ),
        "todo_nothing": "Keep following up sex-disaggregated statistics every year.",
        "findings": "Possible unjustified differences",
        "findings_lead": (
            "Each comparison in which women and men differed is described here. A difference is possibly "
            "unjustified when it remains after taking participants' needs and circumstances into account, "
            "such as income support at enrolment, age and education. It is explained by needs when it "
            "disappears once these are taken into account. A negative number means the value is lower for "
            "women than for men."
        ),
        "findings_flagged": "Possible unjustified differences",
        "findings_explained": "Differences explained by needs",
        "findings_none_flagged": "No possible unjustified differences were found.",
        "findings_none_explained": "No differences were explained by needs.",
        "findings_chart": "Differences between women and men after adjustment for needs",
        "findings_chart_alt": (
            "Chart of the difference between women and men (women minus men) in percentage points after "
            "adjustment for needs, with 95 per cent confidence intervals. Values below zero mean lower for "
            "women. "
        ),
        "fact_women": "Women",
        "fact_men": "Men",
        "fact_target": "Share of women in the target group",
        "fact_share_women": "Share of women among participants",
        "fact_raw": "Difference before adjustment",
        "fact_adjusted": "Difference after adjustment",
        "fact_adjusted_for": "Adjusted for",
        "fact_ratio": "Ratio women/men",
        "fact_certainty": "Statistical certainty",
        "fact_n": "Based on",
        "n_people": "{w} women and {m} men",
        "n_other_few": " and fewer than {t} of other or unknown sex (not compared)",
        "n_other": ", {o} of other or unknown sex (not compared)",
        "ci": "95% confidence interval {low} to {high}",
        "q_text": "q {q} (p-value adjusted for multiple comparisons)",
        "nothing": "nothing",
        "too_few": "Fewer than {t} women or men: values are not shown, to protect individuals.",
        "vs_men": "{women} for women and {men} for men",
        "default_higher": "{what}: {value} {higher} for {sex} ({status}).",
        "higher": "higher",
        "women_word": "women",
        "men_word": "men",
        "participation": "Participation and target group",
        "participation_lead": (
            "The share of women among participants is compared with the share of women in the "
            "intervention's target group, the people it is meant for. If women are fewer among participants "
            "than in the target group, the intervention may not reach women as well as men, or the other "
            "way round."
        ),
        "participation_chart": "Share of women among participants and in the target group",
        "participation_chart_alt": (
            "Bar chart of the share of women among participants per intervention, with 95 per cent "
            "confidence intervals, compared with the share of women in the target group (black tick). "
        ),
        "share_women_bar": "Share of women among participants",
        "share_women_ref": "Share of women in the target group",
        "share_axis": "Share of women (%)",
        "participation_table": "Participants and target group per intervention",
        "participants_sub": "Participants",
        "target_sub": "Composition of the target group",
        "component": "Components",
        "component_lead": (
            "Components are the support participants get within an intervention, such as work training, "
            "internships or counselling. The share of women and of men who received each component is "
            "shown."
        ),
        "outcome": "Outcomes after exit",
        "outcome_lead": (
            "What participants went on to when they left the intervention, such as work, studies or further "
            "rehabilitation, as a share of the women and of the men who left."
        ),
        "rate_chart": "{what}: share of women and men, {where}",
        "rate_chart_alt": (
            "Bar chart of {what_lower} for women and men ({where_lower}), in per cent, with 95 per cent "
            "confidence intervals. "
        ),
        "rate_axis": "Share (%)",
        "rate_table_overall": "{what} for women and men, {where}",
        "rate_table_per": "{what} for women and men per intervention",
        "resource": "Resources",
        "resource_lead": (
            "How much resources were spent on women and on men: staff time, cost and time in the "
            "intervention. In a gender-equal practice resources follow needs, not sex."
        ),
        "resource_chart": "{what}: difference between women and men",
        "resource_chart_alt": (
            "Chart of the difference in {what_lower} between women and men (women minus men) per "
            "intervention, with 95 per cent confidence intervals. Values below zero mean less for women. "
        ),
        "resource_table": "Resources for women and men",
        "diff_axis": "Difference women − men ({unit})",
        "lower_women": "← lower for women",
        "higher_women": "higher for women →",
        "decomposition_sub": "What explains the differences in resources?",
        "decomposition_lead": (
            "The difference between the averages of women and men is split in two parts. The explained part "
            "is due to women and men having different needs and circumstances on average, such as different "
            "income support at enrolment. The unexplained part remains when women and men with the same "
            "needs are compared; that is the part that may be unjustified. The method is called the "
            "Blinder–Oaxaca decomposition."
        ),
        "decomposition_chart": "{what}, {where}: explained and unexplained difference",
        "decomposition_chart_alt": (
            "Bar chart of the difference in {what_lower} between women and men ({where_lower}): total "
            "difference {gap}, of which {explained} is explained by differences in needs and circumstances "
            "and {unexplained} is not explained. "
        ),
        "dec_total": "Total difference",
        "dec_explained": "Explained by needs and circumstances",
        "dec_unexplained": "Not explained",
        "dec_by": "of which {what}",
        "dec_group_total": "Total difference",
        "dec_group_parts": "Explained and unexplained part",
        "dec_group_vars": "Explained part by factor",
        "dec_table": "Decomposition of differences in resources",
        "dec_col_resource": "Resource",
        "dec_col_where": "Intervention",
        "dec_col_women": "Women, mean",
        "dec_col_men": "Men, mean",
        "dec_col_gap": "Difference",
        "dec_col_explained": "Explained part",
        "dec_col_unexplained": "Unexplained part",
        "dec_axis": "Women − men ({unit})",
        "intersectional": "Sex and other circumstances (intersectional analysis)",
        "intersectional_lead": (
            "Sex interacts with other circumstances, such as age, education and being born abroad. The "
            "tables split women and men by such circumstances, so that differences that only concern some "
            "groups become visible."
        ),
        "intersectional_none": "The analysis contains no intersectional tables.",
        "trend": "Development over time",
        "trend_lead": "How the sex distribution and the differences developed from year to year.",
        "trend_none": (
            "The analysis holds no figures for several years and no analysis of the previous year was "
            "given, so the development over time cannot be shown."
        ),
        "trend_share": "Share of women",
        "trend_chart_alt": "Line chart of {what_lower} per year. ",
        "yoy_table": "Comparison with {prev}",
        "yoy_measure": "Measure",
        "yoy_before": "{prev}",
        "yoy_now": "This year",
        "yoy_change": "Change",
        "yoy_participants_w": "Women who took part",
        "yoy_participants_m": "Men who took part",
        "yoy_share": "Share of women (%)",
        "yoy_flagged": "Possible unjustified differences",
        "yoy_explained": "Differences explained by needs",
        "status_table": "Assessments that changed since {prev}",
        "col_comparison": "Comparison",
        "col_before": "{prev}",
        "col_now": "This year",
        "not_compared": "Not compared",
        "other_tables": "More tables",
        "method": "Method appendix",
        "method_lead": (
            "This appendix describes how the figures were produced. It is written for non-statisticians."
        ),
        "m_data": "What is compared",
        "m_data_text": (
            "The data describe the participants in the interventions the association funds: sex, age, "
            "education, income support at enrolment, the components they received, the staff time and money "
            "spent on them and what they went on to after exit. {period_text} People of other or unknown "
            "sex are counted but not included in the comparisons of women and men, as they are too few for "
            "reliable comparisons."
        ),
        "m_period_year": "The report covers enrolments that started in {year}.",
        "m_period_all": "The report covers all years in the data.",
        "m_tests": "How differences are tested",
        "m_tests_text": (
            "For each comparison we compute the difference between women and men (women minus men). For "
            "shares the difference is given in percentage points, for resources in hours, SEK, days or per "
            "cent. The confidence interval is the range in which the true difference probably lies (with 95 "
            "per cent certainty). If it does not contain zero the difference is statistically established: "
            "it is probably not due to chance."
        ),
        "m_methods_used": "Methods used in this analysis: {items}.",
        "m_adjust": "Adjustment for needs",
        "m_adjust_text": (
            "Women and men who come to the interventions often have different needs; women, for example, "
            "are more often on sickness benefit at enrolment. Some differences are therefore justified. To "
            "tell justified from possibly unjustified differences, we compare women and men with the same "
            "needs and circumstances using a statistical model (regression). {covariates}"
        ),
        "m_adjust_covariates": "This analysis adjusts for {items}.",
        "m_multiple": "Many comparisons",
        "m_multiple_text": (
            "With many comparisons, some differences become statistically established by pure chance. The "
            "p-values are therefore adjusted with the Benjamini–Hochberg method; the adjusted value is "
            "called the q-value. A difference only counts if its q-value is below {q}. Then at most {q_pct} "
            "of the differences pointed out are false alarms, on average."
        ),
        "m_rules": "How a difference is assessed",
        "m_rule_unjustified": (
            "Possible unjustified difference: a difference that matters (at least the margin below) remains "
            "statistically established (q-value below the limit) when women and men with the same needs are "
            "compared. Its direction is the adjusted direction."
        ),
        "m_rule_explained": (
            "Explained by needs: before adjustment there is an established difference that matters, and "
            "after adjustment the whole 95% interval lies within the margin either way, so a difference "
            "that matters is ruled out (an equivalence test: Schuirmann's two one-sided tests). An adjusted "
            "difference that is merely not established is not enough."
        ),
        "m_rule_uncertain": (
            "Uncertain: before adjustment there is an established difference that matters, but the data "
            "cannot tell whether needs explain it: the group is too small to adjust, or the adjusted "
            "interval still includes differences that matter. The difference is shown with its interval "
            "and what would be needed (more years pooled or more participants)."
        ),
        "m_rule_none": (
            "No established difference: before adjustment there is no statistically established difference "
            "that matters. That does not mean there is no difference: the interval shows how large it may be."
        ),
        "m_rule_covariates": (
            "Each comparison states exactly which needs it is adjusted for and which could not be included, "
            "and why (for example too few cases). Across the association, needs may matter differently in "
            "different interventions (need × intervention interaction). Standard errors allow for the same "
            "person being enrolled several times (cluster-robust by person; with more than 50,000 people with "
            "several enrolments that part is estimated on a fixed random sample of them). Outcomes count ended "
            "enrolments "
            "only; the number still ongoing is given."
        ),
        "m_rule_change": (
            "A difference is called new or resolved since last year only when the change between the years "
            "is itself statistically established (a z-test of the difference of the two years' estimates). "
            "Otherwise the report says the status changed but the change is not established."
        ),
        "m_rule_participation": (
            "For participation, the share of women among participants is compared with the share of women "
            "in the target group. The difference counts as possibly unjustified when it is statistically "
            "established."
        ),
        "m_rule_size": (
            "A difference is only pointed out when it is large enough to matter: at least {pp} percentage "
            "points for shares and at least {rel} of the men's average for resources."
        ),
        "m_not_compared": (
            "{n} comparisons were not made, because there were fewer than {k} women or men to compare, or "
            "no target group to compare the participants with."
        ),
        "m_rounded": (
            "The numbers of women and men behind each comparison are the same protected counts the tables "
            "show for the same people. Shares, differences, risk ratios and confidence intervals are shown "
            "only when those who had something and those who did not are at least {t} women and at least "
            "{t} men, and the protected counts show it (a protected count of {t} or {next} may be fewer than "
            "{t} people); otherwise none of them is shown (..), so that no hidden figure can be worked out "
            "from the others and a figure not shown says no more than the counts beside it. Every figure has "
            "the same number of decimals in every format."
        ),
        "m_oaxaca": "Decomposition of differences in resources",
        "m_oaxaca_text": (
            "Differences in average resources are split with the Blinder–Oaxaca method into an explained "
            "part (women and men have different needs and circumstances) and an unexplained part (the "
            "difference between women and men with the same needs). The two parts add up to the whole "
            "difference."
        ),
        "m_disclosure": "Protecting individuals",
        "m_disclosure_text": (
            "No figure in the report may be traceable to an individual, not even by combining its tables, "
            "its other formats, the reports for single interventions, earlier years' reports and what the "
            "web pages and the portal show. Every count is therefore protected in the same way, with the "
            "cell key method that Statistics Sweden uses for population statistics from 2025: each person "
            "has a secret key, and each count is changed by a small random number determined by the people "
            "behind it. The same group of people always gets the same value wherever it is shown, and no "
            "count between 1 and {t1} is shown: small counts become {t} or a little more, and 0 always means "
            "nobody. People of other or unknown sex are always counted, but shown together in one column "
            "(they are usually very "
            "few), so that the tables of women and men per intervention can be shown in full. Shares of "
            "women are computed from the protected counts."
        ),
        "m_disclosure_cellkey": (
            "Because each count and each total over the rows is changed on its own, parts do not always add "
            "up exactly to the total (the Total row); the sum of women, men and other/unknown sex is the sum "
            "of the values shown. Larger counts change by at most four units. "
            "Sometimes a small total together with the other values of its column would show that a group has "
            "fewer than {t} people. Then the column's small values are not shown (..), zeros included, so that "
            "nobody can tell which groups are empty; in the table of participants by year the column's total "
            "is not shown instead. Each difference is assessed (possibly "
            "unjustified, explained by needs, uncertain, no established difference) on the unperturbed data; "
            "the shares, differences and intervals shown are computed from the protected counts and may "
            "therefore differ slightly, usually by a few tenths of a percentage point, from those the "
            "assessment rests on."
        ),
        "m_symbols": "Symbols",
        "m_symbol_suppressed": ".. Not shown, to protect individuals.",
        "m_symbol_ckm": (
            "† The counts are protected with the cell key method: they are adjusted by small random numbers, "
            "so parts do not always add up to the total. Shares and differences are computed from the "
            "protected counts."
        ),
        "m_symbol_missing": "– Not available or cannot be computed.",
        "m_symbol_ci": "CI Confidence interval (95 per cent).",
        "m_symbol_pp": (
            "Percentage points: the difference between two percentages, e.g. 40% − 30% = 10 points."
        ),
        "about_report": "Report",
        "about_org": "Organisation",
        "about_year": "Year",
        "about_year_all": "All years",
        "about_intervention": "Intervention",
        "about_created": "Created",
        "about_tool": "Created with",
        "about_threshold": "Disclosure control",
        "about_threshold_text": "Cell key method: no count from 1 to {t1} is shown; small deviations in totals.",
        "about_comparisons": "Comparisons",
        "about_comparisons_text": (
            "{n} comparisons: {f} possible unjustified differences and {e} explained by needs."
        ),
        "about_previous": "Compared with",
        "about_symbols": "Symbols",
        "about_symbols_text": (
            ".. = not shown, to protect individuals; – = not available; † = protected counts (cell key "
            "method), parts do not always add up to the total."
        ),
        "generic_note": ".. = not shown, to protect individuals.",
        "counts_persons": "Number of persons.",
        "counts_sex_by": (
            "Number of persons. Someone with different values at different enrolments is counted once for each "
            "value, in the Total row too."
        ),
        "counts_participants_by_intervention": (
            "Number of persons. Someone who took part in several interventions counts in each intervention but "
            "only once in the Total row."
        ),
        "counts_participants_by_year": (
            "Number of persons per year of enrolment. The Total row counts a person once for each year she or he "
            "took part."
        ),
        "counts_representation": "Share of women among the persons in each intervention.",
        "counts_enrolments_by_sex": "Number of enrolments: someone enrolled several times counts each time.",
        "counts_components_by_sex": (
            "Number of enrolments that got the component. An enrolment can get several components, so the rows "
            "do not add up."
        ),
        "counts_outcomes_by_sex": "Number of ended enrolments.",
        "counts_year_on_year": "Number of persons, each counted once.",
        "counts_findings_participation": "Number of persons.",
        "counts_findings_component": (
            "Number of enrolments; the rates are the shares of enrolments that got the component."
        ),
        "counts_findings_outcome": "Number of ended enrolments; the rates are the shares of them with the outcome.",
        "counts_findings_resource": "Number of enrolments with the resource recorded; means per enrolment.",
        "small_n_note": "Figures that may rest on fewer than {t} women or men are not shown (..).",
        "ckm_ref": "† Protected counts, see “Protecting individuals” in the method section.",
        "approx": "about",
        "col_intervention": "Intervention",
        "col_n_women": "Women",
        "col_n_men": "Men",
        "col_women_pct": "Women (%)",
        "col_men_pct": "Men (%)",
        "col_women_mean": "Women, mean",
        "col_men_mean": "Men, mean",
        "col_share_women": "Share of women (%)",
        "col_target": "Target group (%)",
        "col_diff_pp": "Difference (points)",
        "col_diff": "Difference",
        "col_ci": "95% CI",
        "col_adjusted": "After adjustment",
        "col_status": "Assessment",
        "category_component": "Component",
        "category_outcome": "Outcome",
        "category_resource": "Resource",
    },
}

# Plain descriptions of the methods named in Effect.method.
METHODS = {
    "sv": {
        "newcombe": "skillnad mellan två andelar med Newcombes konfidensintervall",
        "fisher": "Fishers exakta test och Newcombes konfidensintervall för skillnaden mellan två andelar",
        "chi": "chitvåtest och Newcombes konfidensintervall för skillnaden mellan två andelar",
        "mean difference": "skillnad mellan medelvärden med robusta standardfel",
        "binomial": "exakt binomialtest mot målgruppens andel",
        "clopper": "exakt konfidensintervall för en andel (Clopper–Pearson)",
        "welch": "Welchs t-test för skillnad mellan medelvärden",
        "logit": "logistisk regression (genomsnittlig marginaleffekt)",
        "ols": "linjär regression med robusta standardfel",
        "katz": "kvot mellan två andelar (Katz konfidensintervall)",
        "oaxaca": "Blinder–Oaxaca-uppdelning",
    },
    "en": {
        "newcombe": "difference between two proportions with Newcombe's confidence interval",
        "fisher": "Fisher's exact test and Newcombe's confidence interval for a difference in proportions",
        "chi": "chi-square test and Newcombe's confidence interval for a difference of two proportions",
        "mean difference": "difference in means with robust standard errors",
        "binomial": "exact binomial test against the target group's share",
        "clopper": "exact confidence interval for a proportion (Clopper–Pearson)",
        "welch": "Welch's t-test for a difference in means",
        "logit": "logistic regression (average marginal effect)",
        "ols": "linear regression with robust standard errors",
        "katz": "ratio of two proportions (Katz confidence interval)",
        "oaxaca": "Blinder–Oaxaca decomposition",
    },
}
