// citation-js behind a two-call interface: a CSL bibliography entry from a template, or a BibTeX/RIS record.
// Loaded on the first citation: about 13 MB that a process answering searches never needs.

import type { CslItem } from '../csl';

export interface CslTemplate {
  /** citation-js's name for it: a bundled style ("apa") or one of ours, registered on first use. */
  name: string;
  xml?: string;
}

export interface CiteEngine {
  /** One bibliography entry as plain text, without a list number. */
  bibliography(item: CslItem, template: CslTemplate): string;
  record(item: CslItem, format: 'bibtex' | 'ris'): string;
}

type CitationJs = typeof import('@citation-js/core');

interface CslConfig {
  styles: { add(name: string, xml: string): void; has(name: string): boolean };
}

function load(): CitationJs {
  // Node caches each module, so loading on every call costs a lookup once the first has paid.
  /* eslint-disable @typescript-eslint/no-require-imports -- on demand, see the header */
  const core = require('@citation-js/core') as CitationJs;
  require('@citation-js/plugin-csl');
  require('@citation-js/plugin-bibtex');
  require('@citation-js/plugin-ris');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return core;
}

export function createCiteEngine(): CiteEngine {
  return {
    bibliography(item, template) {
      const core = load();
      if (template.xml !== undefined) {
        const styles = (core.plugins.config.get('@csl') as CslConfig).styles;
        if (!styles.has(template.name)) styles.add(template.name, template.xml);
      }
      const cite = new core.Cite([item]);
      const text = String(
        cite.format('bibliography', { format: 'text', template: template.name, lang: 'en-US' }),
      );
      return text.trim().replace(/^1\.\s+/, '');
    },
    record(item, format) {
      return String(new (load().Cite)([item]).format(format));
    },
  };
}
