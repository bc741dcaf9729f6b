/**
 * Well-formedness of IETF BCP 47 language tags (RFC 5646 §2.1 ABNF, "langtag" and "privateuse"; irregular
 * grandfathered tags are not accepted). Subtags are not looked up in the IANA registry (limit, see docs). The
 * primary language subtag is required (schema.core § Section `description`: "The primary language subtag cannot be
 * omitted, as mandated by the BCP 47").
 */
const LANGTAG = new RegExp(
  '^' +
    '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})' + // language (with up to three extlang)
    '(?:-[a-z]{4})?' + // script
    '(?:-(?:[a-z]{2}|\\d{3}))?' + // region
    '(?:-(?:[a-z\\d]{5,8}|\\d[a-z\\d]{3}))*' + // variants
    '(?:-[\\da-wy-z](?:-[a-z\\d]{2,8})+)*' + // extensions
    '(?:-x(?:-[a-z\\d]{1,8})+)?' + // private use
    '$',
  'i',
);

export function isBcp47(tag: string): boolean {
  return LANGTAG.test(tag);
}
