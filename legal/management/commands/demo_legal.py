"""Fill the legal pages with sample texts that say they are samples; `manage.py demo` calls it.

Only empty pages are filled: a text a press lead wrote is never replaced.
"""

import datetime

from django.core.management.base import BaseCommand

from legal.models import Compliance, LegalPage, PageKind

SAMPLE_DE = (
    "<p><strong>Mustertext für die Demo.</strong> Dieser Text ist ein Beispiel und keine "
    "geprüfte Rechtsauskunft; ersetzen Sie ihn vor dem Betrieb durch Ihren eigenen.</p>"
)
SAMPLE_EN = (
    "<p><strong>Sample text for the demo.</strong> This text is an example, not checked legal "
    "advice; replace it with your own before going live.</p>"
)

PAGES = {
    PageKind.IMPRINT: {
        "body_de": SAMPLE_DE
        + "<h2>Herausgeber</h2><p>Sächsisches Staatsministerium für Wirtschaft, Arbeit und "
        "Verkehr (Beispiel)<br>Wilhelm-Buck-Straße 2, 01097 Dresden</p>"
        "<p>Telefon: +49 351 564-0<br>E-Mail: presse@example.org</p>"
        "<h2>Vertreten durch</h2><p>den Staatsminister (Beispiel).</p>"
        "<h2>Verantwortlich für den Inhalt</h2><p>Die Pressestelle, Anschrift wie oben "
        "(§ 18 Abs. 2 MStV).</p>"
        "<h2>Umsatzsteuer-Identifikationsnummer</h2><p>DE000000000 (Beispiel)</p>",
        "body_en": SAMPLE_EN
        + "<h2>Publisher</h2><p>Saxon State Ministry for Economic Affairs, Labour and "
        "Transport (example)<br>Wilhelm-Buck-Straße 2, 01097 Dresden, Germany</p>"
        "<p>Telephone: +49 351 564-0<br>E-mail: presse@example.org</p>"
        "<h2>Responsible for the content</h2><p>The press office, address as above.</p>",
    },
    PageKind.PRIVACY: {
        "body_de": SAMPLE_DE
        + "<h2>Verantwortliche Stelle</h2><p>Die im Impressum genannte Behörde.</p>"
        "<h2>Besuch dieser Seiten</h2><p>Der Server verarbeitet die IP-Adresse, Datum und "
        "Uhrzeit sowie die aufgerufene Adresse, um die Seiten auszuliefern und Angriffe "
        "abzuwehren (Art. 6 Abs. 1 lit. e DSGVO). Es werden keine Analyse- oder "
        "Werbedienste eingesetzt und keine Cookies gesetzt.</p>"
        "<h2>E-Mail-Benachrichtigungen</h2><p>Für Benachrichtigungen speichern wir Ihre "
        "E-Mail-Adresse, Ihre Auswahl und den Zeitpunkt Ihrer Einwilligung (Art. 6 Abs. 1 "
        "lit. a DSGVO). Unbestätigte Anfragen werden nach 48 Stunden gelöscht; eine Abmeldung "
        "löscht Ihre Adresse.</p>"
        "<h2>Rückmeldungen zur Barrierefreiheit</h2><p>Ihre Nachricht und freiwillige Angaben "
        "speichern wir, um sie zu beantworten (Art. 6 Abs. 1 lit. e DSGVO).</p>"
        "<h2>Ihre Rechte</h2><p>Auskunft, Berichtigung, Löschung, Einschränkung, Widerspruch "
        "und Beschwerde bei der Aufsichtsbehörde (Beispiel: Sächsische "
        "Datenschutzbeauftragte).</p>",
        "body_en": SAMPLE_EN
        + "<h2>Controller</h2><p>The authority named in the legal notice.</p>"
        "<h2>Visiting these pages</h2><p>The server processes your IP address, the date and "
        "time and the address requested, to deliver the pages and fend off attacks. No "
        "analytics or advertising services and no cookies are used.</p>"
        "<h2>E-mail alerts</h2><p>For alerts we store your e-mail address, your choices and "
        "the time of your consent; unsubscribing deletes your address.</p>"
        "<h2>Your rights</h2><p>Access, rectification, erasure, restriction, objection and a "
        "complaint to the supervisory authority.</p>",
    },
    PageKind.ACCESSIBILITY: {
        "body_de": SAMPLE_DE
        + "<p>Die Pressestelle ist bemüht, ihre Internetseiten im Einklang mit dem "
        "Barrierefreiheitsgesetz und der BITV 2.0 barrierefrei zugänglich zu machen. Diese "
        "Erklärung gilt für den Newsroom der Pressestelle.</p>",
        "body_en": SAMPLE_EN
        + "<p>The press office strives to make its website accessible in accordance with the "
        "accessibility laws and the BITV 2.0. This statement applies to the press office's "
        "newsroom.</p>",
        "compliance": Compliance.PARTIAL,
        "non_accessible_de": "<ul><li>Ältere Publikationen (PDF) sind nicht durchgehend "
        "barrierefrei. Auf Anfrage senden wir Ihnen den Inhalt in zugänglicher Form.</li>"
        "<li>Videos haben noch keine Untertitel (Beispiel).</li></ul>",
        "non_accessible_en": "<ul><li>Older publications (PDF) are not fully accessible. On "
        "request we send you their content in an accessible form.</li><li>Videos have no "
        "subtitles yet (example).</li></ul>",
        "prepared_on": datetime.date(2026, 11, 1),
        "reviewed_on": datetime.date(2026, 11, 20),
        "contact_email": "barrierefreiheit@example.org",
    },
}


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        filled = 0
        for kind, fields in PAGES.items():
            page = LegalPage.objects.get_or_default(kind)  # a flushed database has none
            if page.body_de:
                continue
            for name, value in fields.items():
                setattr(page, name, value)
            page.save()
            filled += 1
        self.stdout.write(f"Legal pages: {filled} filled with sample texts.")
