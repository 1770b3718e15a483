"""The CEMR European Charter for Equality of Women and Men in Local Life (2006): its articles, as data.

Goals of an action plan may name the articles they work towards when the organisation has signed the
charter (:class:`~jamkoll.web.plans.models.CharterSignature`). Numbers and short titles follow the
charter; the Swedish titles follow SKR's translation ("Den europeiska deklarationen för jämställdhet
mellan kvinnor och män på lokal och regional nivå").
"""

from __future__ import annotations

# number -> (Swedish short title, English short title)
CEMR_ARTICLES: dict[str, tuple[str, str]] = {
    "1": ("Demokratiskt ansvar", "Democratic accountability"),
    "2": ("Politisk representation", "Political representation"),
    "3": ("Deltagande i det politiska och medborgerliga livet", "Participation in political and civic life"),
    "4": ("Offentligt åtagande för jämställdhet", "Public commitment for equality"),
    "5": ("Samarbete med partner för att främja jämställdhet", "Working with partners to promote equality"),
    "6": ("Motverka stereotyper", "Countering stereotypes"),
    "7": ("God förvaltning och samråd", "Good administration and consultation"),
    "8": ("Allmän roll", "General role"),
    "9": ("Jämställdhetsanalys", "Gender assessment"),
    "10": ("Flerfaldig diskriminering eller missgynnande", "Multiple discrimination or disadvantage"),
    "11": ("Arbetsgivarrollen", "Employer role"),
    "12": ("Offentlig upphandling och avtal", "Public procurement and contracts"),
    "13": ("Utbildning och livslångt lärande", "Education and lifelong learning"),
    "14": ("Hälsa", "Health"),
    "15": ("Social omsorg och sociala tjänster", "Social care and services"),
    "16": ("Barnomsorg", "Childcare"),
    "17": ("Omsorg om andra anhöriga", "Care of other dependants"),
    "18": ("Social integration", "Social inclusion"),
    "19": ("Bostäder", "Housing"),
    "20": ("Kultur, idrott och fritid", "Culture, sport and recreation"),
    "21": ("Säkerhet och trygghet", "Safety and security"),
    "22": ("Könsrelaterat våld", "Gender-based violence"),
    "23": ("Människohandel", "Human trafficking"),
    "24": ("Hållbar utveckling", "Sustainable development"),
    "25": ("Stads- och samhällsplanering", "Urban and local planning"),
    "26": ("Rörlighet och transporter", "Mobility and transport"),
    "27": ("Ekonomisk utveckling", "Economic development"),
    "28": ("Miljö", "Environment"),
    "29": ("Tillsynsroll", "Regulator role"),
    "30": ("Vänortssamarbete och internationellt samarbete", "Twinning and international co-operation"),
}


def article_label(number: str, lang: str = "sv") -> str:
    """``"Artikel 22: Könsrelaterat våld"`` (or the English), or the bare number when unknown."""
    titles = CEMR_ARTICLES.get(number)
    if titles is None:
        return number
    if lang.startswith("en"):
        return f"Article {number}: {titles[1]}"
    return f"Artikel {number}: {titles[0]}"
