/**
 * Thirty short German sample practices, written for the unit tests of the search and as the seed of the
 * 100,000-document benchmark (bench/atlas-engine.ts). Invented places, invented figures.
 */
import type { Facet, SearchDoc } from '../engine.js';

type Sample = Omit<SearchDoc, 'facets' | 'sortKey'> & { facets: Partial<Record<Facet, readonly string[]>> };

const S: Sample[] = [
  {
    id: 1,
    title: 'Digitaler Bauantrag',
    summary: 'Die Stadt nimmt Bauanträge vollständig online entgegen und bearbeitet sie medienbruchfrei.',
    tags: ['Bauen', 'OZG', 'XBau'],
    description:
      'Bauherren reichen Pläne und Formulare über das Bauportal ein. Das Bauamt prüft die Unterlagen digital und beteiligt die Fachstellen über eine gemeinsame Plattform. Die Bearbeitungszeit sank um ein Drittel.',
    facets: {
      sector: ['verwaltung'],
      state: ['09'],
      status: ['operation'],
      standard: ['xbau'],
      sizeClass: ['20000-100000'],
    },
  },
  {
    id: 2,
    title: 'Rufbus für die Dörfer im Landkreis',
    summary: 'Ein On-Demand-Verkehr ergänzt den Linienverkehr in den Abendstunden und am Wochenende.',
    tags: ['Mobilität', 'ÖPNV', 'ländlicher Raum'],
    description:
      'Fahrgäste buchen ihre Fahrt per App oder Telefon. Kleine Busse bündeln die Wünsche und fahren ohne festen Fahrplan. Besonders ältere Menschen ohne Auto nutzen das Angebot.',
    facets: { sector: ['mobilitaet'], state: ['03'], status: ['operation'], sizeClass: ['100000+'] },
  },
  {
    id: 3,
    title: 'Glasfaseranbindung aller Schulen',
    summary: 'Alle Grundschulen und weiterführenden Schulen der Gemeinde erhalten einen Glasfaseranschluss.',
    tags: ['Breitband', 'Bildung'],
    description:
      'Mit Mitteln des Bundesförderprogramms wurden die Schulgebäude an das Glasfasernetz angebunden. Im Anschluss folgte das WLAN in allen Klassenräumen.',
    facets: { sector: ['bildung', 'infrastruktur'], state: ['05'], status: ['ended'], sizeClass: ['5000-20000'] },
  },
  {
    id: 4,
    title: 'Bürgerbüro mit Online-Terminvergabe',
    summary: 'Termine im Bürgerbüro werden online gebucht, Wartezeiten sind weitgehend verschwunden.',
    tags: ['Bürgerservice', 'Verwaltung'],
    description:
      'Die Terminvergabe ist mit dem Fachverfahren des Meldewesens verbunden. Bürgerinnen und Bürger erhalten eine Erinnerung per E-Mail und können Termine selbst verschieben.',
    facets: { sector: ['verwaltung'], state: ['08'], status: ['operation'], sizeClass: ['20000-100000'] },
  },
  {
    id: 5,
    title: 'Einführung der E-Akte in der Kreisverwaltung',
    summary: 'Die Kreisverwaltung führt ihre Akten elektronisch und hat das Papierarchiv abgelöst.',
    tags: ['E-Akte', 'Verwaltungsdigitalisierung'],
    description:
      'Schritt für Schritt wurden alle Ämter an das Dokumentenmanagementsystem angeschlossen. Beschäftigte wurden geschult, Posteingänge werden gescannt und digital verteilt.',
    facets: { sector: ['verwaltung'], state: ['14'], status: ['implementation'], sizeClass: ['100000+'] },
  },
  {
    id: 6,
    title: 'Parkplatzsensoren in der Innenstadt',
    summary: 'Sensoren melden freie Stellplätze, eine App leitet Autofahrer direkt zum nächsten freien Platz.',
    tags: ['Parken', 'Sensorik', 'LoRaWAN'],
    description:
      'In den Parkbuchten der Innenstadt wurden Bodensensoren eingebaut, die über ein LoRaWAN-Netz funken. Der Parksuchverkehr ging messbar zurück.',
    facets: { sector: ['mobilitaet'], state: ['06'], status: ['operation'], sizeClass: ['20000-100000'] },
  },
  {
    id: 7,
    title: 'Digitaler Abfallkalender',
    summary: 'Ein Abfallkalender als App erinnert an die Leerung der Tonnen.',
    tags: ['Abfall', 'App'],
    description:
      'Die Termine der Müllabfuhr kommen direkt aus dem System des Entsorgers. Nutzerinnen wählen ihre Straße und erhalten Erinnerungen.',
    facets: { sector: ['umwelt'], state: ['09'], status: ['operation'], sizeClass: ['5000-20000'] },
  },
  {
    id: 8,
    title: 'Intelligente Straßenbeleuchtung',
    summary: 'LED-Leuchten dimmen nachts und schalten sich bei Bewegung heller.',
    tags: ['Energie', 'Beleuchtung'],
    description:
      'Die Gemeinde hat alle Straßenlaternen auf LED umgerüstet und mit Bewegungsmeldern ausgestattet. Der Stromverbrauch sank um mehr als die Hälfte.',
    facets: { sector: ['energie'], state: ['07'], status: ['operation'], sizeClass: ['5000-20000'] },
  },
  {
    id: 9,
    title: 'Ratsinformationssystem für alle Gremien',
    summary: 'Sitzungsunterlagen, Beschlüsse und Tagesordnungen sind öffentlich und durchsuchbar.',
    tags: ['Transparenz', 'Rat'],
    description:
      'Mitglieder des Gemeinderats erhalten ihre Unterlagen auf Tablets. Die Öffentlichkeit kann Vorlagen und Protokolle im Internet lesen.',
    facets: { sector: ['verwaltung'], state: ['05'], status: ['operation'], sizeClass: ['20000-100000'] },
  },
  {
    id: 10,
    title: 'Freies WLAN auf dem Marktplatz',
    summary: 'Hotspots auf Plätzen und in der Bibliothek bieten kostenloses Internet.',
    tags: ['WLAN', 'Innenstadt'],
    description:
      'Gefördert durch WiFi4EU betreibt die Stadt zwölf Zugangspunkte. Die Nutzung wird anonym gezählt und zeigt die belebten Orte der Innenstadt.',
    facets: { sector: ['infrastruktur'], state: ['01'], status: ['operation'], sizeClass: ['5000-20000'] },
  },
  {
    id: 11,
    title: 'Online-Anmeldung für Kitaplätze',
    summary: 'Eltern melden ihr Kind für alle Kindertagesstätten über ein zentrales Portal an.',
    tags: ['Kita', 'Familie'],
    description:
      'Die Vergabe der Betreuungsplätze erfolgt nach transparenten Kriterien. Eltern sehen den Stand ihrer Anmeldung und erhalten Zusagen digital.',
    facets: { sector: ['soziales'], state: ['12'], status: ['operation'], sizeClass: ['20000-100000'] },
  },
  {
    id: 12,
    title: 'Photovoltaik auf kommunalen Dächern',
    summary: 'Solaranlagen auf Schulen, Turnhallen und Rathaus decken einen Teil des Strombedarfs.',
    tags: ['Energie', 'Klimaschutz'],
    description:
      'Ein Solarkataster zeigt geeignete Dachflächen. Die Stadtwerke betreiben die Anlagen und speisen Überschüsse ins Netz ein.',
    facets: { sector: ['energie'], state: ['09'], status: ['implementation'], sizeClass: ['20000-100000'] },
  },
  {
    id: 13,
    title: 'Breitbandausbau im ländlichen Raum',
    summary: 'Der Landkreis baut ein eigenes Gigabitnetz in unterversorgten Ortsteilen.',
    tags: ['Breitband', 'Glasfaser'],
    description:
      'Der Kreis übernahm die Planung und vergab den Bau an ein Telekommunikationsunternehmen. Heute haben neun von zehn Haushalten einen Glasfaseranschluss.',
    facets: { sector: ['infrastruktur'], state: ['03'], status: ['ended'], sizeClass: ['100000+'] },
  },
  {
    id: 14,
    title: 'Mängelmelder für Straßenschäden',
    summary: 'Bürger melden Schlaglöcher und defekte Laternen mit Foto und Standort.',
    tags: ['Beteiligung', 'App'],
    description:
      'Meldungen landen direkt beim Bauhof. Der Bearbeitungsstand ist öffentlich sichtbar, die Zahl der Telefonanrufe ging zurück.',
    facets: { sector: ['verwaltung'], state: ['16'], status: ['operation'], sizeClass: ['5000-20000'] },
  },
  {
    id: 15,
    title: 'Digitalisierung der Verwaltung in kleinen Gemeinden',
    summary: 'Ein Amt stellt für fünf Gemeinden gemeinsame Onlinedienste bereit.',
    tags: ['Interkommunale Zusammenarbeit', 'OZG'],
    description:
      'Die Gemeinden teilen sich ein Serviceportal, eine Bezahlplattform und einen Digitalisierungsbeauftragten. So können auch kleine Verwaltungen Leistungen nach dem Onlinezugangsgesetz anbieten.',
    facets: { sector: ['verwaltung'], state: ['01'], status: ['implementation'], sizeClass: ['0-5000'] },
  },
  {
    id: 16,
    title: 'Hochwasserfrühwarnung mit Pegelsensoren',
    summary: 'Pegelsensoren an Bächen warnen Feuerwehr und Anwohner vor steigendem Wasser.',
    tags: ['Katastrophenschutz', 'Sensorik'],
    description:
      'Nach dem Starkregen von 2021 installierte die Gemeinde zwanzig Messstationen. Überschreitet ein Pegel den Grenzwert, werden Feuerwehr und Bevölkerung automatisch gewarnt.',
    facets: { sector: ['sicherheit'], state: ['07'], status: ['operation'], sizeClass: ['5000-20000'] },
  },
  {
    id: 17,
    title: 'Tablets für Lehrkräfte und Schüler',
    summary: 'Die Schulträger statten alle weiterführenden Schulen mit Tablets und einer Lernplattform aus.',
    tags: ['Bildung', 'DigitalPakt'],
    description:
      'Die Geräte werden zentral verwaltet. Lehrerinnen und Lehrer erhalten Fortbildungen für den digitalen Unterricht.',
    facets: { sector: ['bildung'], state: ['05'], status: ['operation'], sizeClass: ['100000+'] },
  },
  {
    id: 18,
    title: 'Urbane Datenplattform',
    summary: 'Sensordaten, Verkehrsdaten und Verwaltungsdaten laufen auf einer offenen Plattform zusammen.',
    tags: ['Open Data', 'Plattform'],
    description:
      'Die Plattform folgt der DIN SPEC 91357 und stellt Daten als Open Data bereit. Dashboards zeigen Luftqualität, Parkplätze und Energieverbrauch.',
    facets: {
      sector: ['infrastruktur'],
      state: ['08'],
      status: ['implementation'],
      standard: ['din-spec-91357'],
      sizeClass: ['100000+'],
    },
  },
  {
    id: 19,
    title: 'Chatbot beantwortet Fragen zur Verwaltung',
    summary: 'Ein digitaler Assistent auf der Webseite beantwortet rund um die Uhr häufige Fragen.',
    tags: ['KI', 'Bürgerservice'],
    description:
      'Der Chatbot kennt die Leistungsbeschreibungen und verweist auf Onlinedienste. Schwierige Fragen gibt er an das Bürgeramt weiter.',
    facets: { sector: ['verwaltung'], state: ['11'], status: ['planning'], sizeClass: ['100000+'] },
  },
  {
    id: 20,
    title: 'Ladesäulen an Rathaus und Bahnhof',
    summary: 'Die Gemeinde errichtet öffentliche Ladestationen für Elektroautos.',
    tags: ['Elektromobilität', 'Energie'],
    description:
      'Die Ladepunkte werden mit Strom aus der eigenen Photovoltaikanlage versorgt. Bezahlt wird per Karte oder App.',
    facets: { sector: ['mobilitaet', 'energie'], state: ['06'], status: ['operation'], sizeClass: ['5000-20000'] },
  },
  {
    id: 21,
    title: 'Bürgerbeteiligung online',
    summary: 'Eine Beteiligungsplattform sammelt Ideen und Kommentare zu Bauprojekten.',
    tags: ['Beteiligung', 'Stadtentwicklung'],
    description:
      'Vorhaben der Stadtentwicklung werden mit Karten vorgestellt. Bürgerinnen kommentieren und stimmen ab, die Verwaltung antwortet öffentlich.',
    facets: { sector: ['verwaltung'], state: ['10'], status: ['operation'], sizeClass: ['20000-100000'] },
  },
  {
    id: 22,
    title: 'Telemedizin im Gesundheitskiosk',
    summary: 'Im Dorfladen können Patienten per Video mit Hausärzten sprechen.',
    tags: ['Gesundheit', 'ländlicher Raum'],
    description:
      'Eine Pflegekraft begleitet die Videosprechstunde und misst Blutdruck und Puls. Die Praxis in der Kreisstadt spart Hausbesuche.',
    facets: { sector: ['soziales'], state: ['13'], status: ['implementation'], sizeClass: ['0-5000'] },
  },
  {
    id: 23,
    title: 'Smarte Bewässerung der Stadtbäume',
    summary: 'Bodenfeuchtesensoren zeigen, welche Bäume gegossen werden müssen.',
    tags: ['Klimaanpassung', 'Sensorik'],
    description:
      'Der Bauhof fährt nur noch die Bäume an, die Wasser brauchen. Die Sensoren senden ihre Werte über LoRaWAN an die Datenplattform.',
    facets: { sector: ['umwelt'], state: ['09'], status: ['operation'], sizeClass: ['100000+'] },
  },
  {
    id: 24,
    title: 'Digitale Dörfer: Dorf-App für Nachbarschaftshilfe',
    summary: 'Eine App verbindet Nachbarn, Vereine und die Gemeinde.',
    tags: ['Smart Village', 'Ehrenamt'],
    description:
      'Über die App werden Mitfahrgelegenheiten, Einkaufshilfen und Neuigkeiten aus dem Rathaus geteilt. Ehrenamtliche moderieren die Beiträge.',
    facets: { sector: ['soziales'], state: ['07'], status: ['operation'], sizeClass: ['0-5000'] },
  },
  {
    id: 25,
    title: 'Kfz-Zulassung online',
    summary: 'Fahrzeuge werden vollständig digital zugelassen, umgemeldet und abgemeldet.',
    tags: ['OZG', 'Zulassung'],
    description:
      'Die Zulassungsstelle des Kreises nutzt i-Kfz. Halter identifizieren sich mit dem Online-Ausweis und bezahlen die Gebühren elektronisch.',
    facets: { sector: ['verwaltung'], state: ['15'], status: ['operation'], sizeClass: ['100000+'] },
  },
  {
    id: 26,
    title: 'Kommunale Wärmeplanung mit digitalem Zwilling',
    summary: 'Ein 3D-Stadtmodell zeigt Wärmebedarf und Potenziale für Nahwärmenetze.',
    tags: ['Wärmeplanung', 'Klimaschutz'],
    description:
      'Gebäudedaten, Verbrauchswerte und Geodaten fließen in einen digitalen Zwilling. Die Verwaltung plant damit Wärmenetze und Sanierungsgebiete.',
    facets: { sector: ['energie'], state: ['08'], status: ['planning'], sizeClass: ['20000-100000'] },
  },
  {
    id: 27,
    title: 'IT-Sicherheit für kleine Kommunen',
    summary: 'Ein Zweckverband bietet Informationssicherheit als gemeinsamen Dienst an.',
    tags: ['Informationssicherheit', 'Zusammenarbeit'],
    description:
      'Ein gemeinsamer Informationssicherheitsbeauftragter berät zwölf Gemeinden. Notfallpläne und Schulungen werden gemeinsam erarbeitet.',
    facets: { sector: ['verwaltung'], state: ['09'], status: ['operation'], sizeClass: ['0-5000'] },
  },
  {
    id: 28,
    title: 'Schulung der Beschäftigten in digitalen Werkzeugen',
    summary: 'Ein Lernprogramm vermittelt Digitalkompetenz in der Verwaltung.',
    tags: ['Fortbildung', 'Personal'],
    description:
      'Beschäftigte aller Ämter lernen in kurzen Einheiten den Umgang mit E-Akte, Videokonferenz und Kollaborationswerkzeugen.',
    facets: { sector: ['verwaltung'], state: ['04'], status: ['operation'], sizeClass: ['100000+'] },
  },
  {
    id: 29,
    title: 'Echtzeit-Fahrgastinformation an Haltestellen',
    summary: 'Anzeigen an Haltestellen zeigen die tatsächlichen Abfahrtszeiten der Busse.',
    tags: ['ÖPNV', 'Fahrgastinformation'],
    description:
      'Die Busse senden ihre Position an das Verkehrsunternehmen. Anzeigetafeln und die Nahverkehrs-App zeigen Verspätungen sofort.',
    facets: { sector: ['mobilitaet'], state: ['02'], status: ['operation'], sizeClass: ['100000+'] },
  },
  {
    id: 30,
    title: 'Open-Source-Software in der Stadtverwaltung',
    summary: 'Die Stadt stellt Bürosoftware und Fachanwendungen schrittweise auf Open Source um.',
    tags: ['Open Source', 'Nachnutzung'],
    description:
      'Eigene Entwicklungen veröffentlicht die Stadt mit einer publiccode.yml, damit andere Kommunen sie nachnutzen können.',
    facets: { sector: ['verwaltung'], state: ['01'], status: ['implementation'], sizeClass: ['20000-100000'] },
  },
];

const EMPTY_FACETS: Record<Facet, readonly string[]> = {
  sector: [],
  dimension: [],
  state: [],
  sizeClass: [],
  status: [],
  standard: [],
  measure: [],
};

/** The samples as search documents; sortKey = id (a later id is newer). */
export const SAMPLE_PRACTICES: readonly SearchDoc[] = S.map((s) => ({
  ...s,
  facets: { ...EMPTY_FACETS, ...s.facets },
  sortKey: s.id,
}));

export { EMPTY_FACETS };
