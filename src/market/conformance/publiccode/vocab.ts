/**
 * Controlled vocabularies of publiccode.yml, embedded in the product (no file outside it is read at run time).
 *
 * Sources (publiccode.yml standard, repository publiccodeyml/publiccode.yml, licence CC0-1.0):
 * - categories: `categories-list.rst` of the releases core-0.2, core-0.2.1, v0.3.0, v0.4.0, v0.5.0 and v0.7.0
 *   (0.2 and 0.2.1 have the same list; 0.5.0 and 0.7.0 have the same list; 0.6.0 is taken as 0.5.0's);
 * - scope: `scope-list.rst`, the same 24 tags in every release from core-0.2 to v0.7.0;
 * - aliases: `aliases-list.rst` of v0.7.0 (the `supports` key).
 * A unit test compares these lists with the copies in ../shared/data/standards/publiccode/.
 */

const words = (s: string): string[] => s.trim().split(/\s+/);

/** Categories of core-0.2 (and core-0.2.1, whose list is identical). */
const CATEGORIES_0_2 = words(`
accounting agile-project-management applicant-tracking application-development appointment-scheduling backup
billing-and-invoicing blog budgeting business-intelligence business-process-management cad call-center-management
cloud-management collaboration communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization digital-asset-management
digital-citizenship document-management donor-management e-commerce e-signature email-management email-marketing
employee-management enterprise-project-management enterprise-social-networking erp event-management
facility-management feedback-and-reviews-management financial-reporting fleet-management fundraising gamification
geographic-information-systems grant-management graphic-design help-desk hr ide identity-management
instant-messaging inventory-management it-asset-management it-development it-management it-security
it-service-management knowledge-management learning-management-system marketing mind-mapping mobile-marketing
mobile-payment network-management office online-booking online-community payment-gateway payroll
predictive-analysis procurement productivity-suite project-collaboration project-management property-management
real-estate-management remote-support resource-management sales-management seo service-desk
social-media-management survey talent-management task-management taxes-management test-management
time-management time-tracking translation video-conferencing video-editing visitor-management voip
warehouse-management web-collaboration web-conferencing website-builder workflow-management`);
/** Added in v0.3.0. */
const CATEGORIES_ADDED_0_3 = ['educational-content', 'whistleblowing'];
/** Added in v0.4.0. */
const CATEGORIES_ADDED_0_4 = ['design', 'design-system', 'integrated-library-system', 'regulations-and-directives'];
/** Added in v0.5.0 (together with making `categories` optional). */
const CATEGORIES_ADDED_0_5 = ['other'];

export type CategoryList = '0.2' | '0.3' | '0.4' | '0.5';

export const CATEGORIES: Record<CategoryList, ReadonlySet<string>> = {
  '0.2': new Set(CATEGORIES_0_2),
  '0.3': new Set([...CATEGORIES_0_2, ...CATEGORIES_ADDED_0_3]),
  '0.4': new Set([...CATEGORIES_0_2, ...CATEGORIES_ADDED_0_3, ...CATEGORIES_ADDED_0_4]),
  '0.5': new Set([...CATEGORIES_0_2, ...CATEGORIES_ADDED_0_3, ...CATEGORIES_ADDED_0_4, ...CATEGORIES_ADDED_0_5]),
};

/** Scope tags (`intendedAudience/scope`), unchanged from core-0.2 to v0.7.0. */
export const SCOPES: ReadonlySet<string> = new Set(
  words(`agriculture culture defence education emergency-services employment energy environment
finance-and-economic-development foreign-affairs government healthcare infrastructures justice local-authorities
manufacturing research science-and-technology security society sport tourism transportation welfare`),
);

/** Aliases usable as `supports[].id: alias:<name>` (v0.7.0 `aliases-list.rst`). */
export const SUPPORT_ALIASES: Readonly<Record<string, string>> = {
  gdpr: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
  eidas: 'https://eur-lex.europa.eu/eli/reg/2014/910/oj',
  nis2: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
  cra: 'https://eur-lex.europa.eu/eli/reg/2024/2847/oj',
  spid: 'https://www.spid.gov.it/',
  cie: 'https://www.cartaidentita.interno.gov.it/',
  anpr: 'https://www.anpr.interno.it/',
  pagopa: 'https://www.pagopa.gov.it/',
  io: 'https://io.italia.it/',
};

/**
 * ISO 3166-1 alpha-2 officially assigned country codes (249), as published by the ISO 3166 Maintenance Agency
 * (https://www.iso.org/iso-3166-country-codes.html); the codes are facts, listed here in upper case.
 */
export const ISO_3166_ALPHA2: ReadonlySet<string> = new Set(
  words(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`),
);
