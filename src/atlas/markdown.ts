/**
 * Descriptions are Markdown, rendered with markdown-it with raw HTML switched off (every `<` is text), links only
 * to http(s) and mailto addresses, and every link marked `rel="nofollow noopener"`. The search indexes the
 * plain text (`plainText`), never the markup.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());
md.disable(['image']);

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};
// Headings inside a description start below the page's own (h3 and lower).
md.renderer.rules.heading_open = (tokens, idx) => {
  const level = Math.min(6, Number(tokens[idx]!.tag.slice(1)) + 2);
  return `<h${level}>`;
};
md.renderer.rules.heading_close = (tokens, idx) => {
  const level = Math.min(6, Number(tokens[idx]!.tag.slice(1)) + 2);
  return `</h${level}>\n`;
};

/** Safe HTML of a Markdown description. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The text of a Markdown description without its markup (for the search index and summaries). */
export function plainText(source: string): string {
  const out: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>) => {
    for (const t of tokens) {
      if (t.type === 'inline' && t.children) walk(t.children);
      else if (t.type === 'text' || t.type === 'code_inline' || t.type === 'code_block' || t.type === 'fence')
        out.push(t.content);
      else if (t.type === 'softbreak' || t.type === 'hardbreak' || t.type.endsWith('_close')) out.push(' ');
    }
  };
  walk(md.parse(source, {}));
  return out.join('').replace(/\s+/g, ' ').trim();
}
