// The SAX driver over a PubmedArticleSet: saxes events → numbered contexts → record boundaries → sink.
// Leaves what each context means to xml-handlers.ts and string/stream plumbing to xml.ts.

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Article } from '../core/article';
import { PaperbotError } from '../core/errors';
import { ContextHandlers } from './xml-handlers';
import * as P from './xml-paths';
import { RecordMappingError } from './xml-record';
import { RichTextBuilder, collapseSpace } from './xml-rich';

/** A record of the set that could not be mapped; the rest of the set is still read. */
export interface RecordProblem {
  /** 0-based position of the record among the set's PubmedArticle/PubmedBookArticle elements. */
  index: number;
  /** Line of the record's start tag. */
  line: number;
  pmid?: string;
  message: string;
}

export interface ArticleSetSink {
  article(article: Article, line: number): void;
  deleted(pmids: string[]): void;
  problem(problem: RecordProblem): void;
}

function badResponse(message: string, cause?: unknown): PaperbotError {
  return new PaperbotError('bad_response', message, { source: 'pubmed', cause });
}

/**
 * Feeds text chunks through saxes and reports each record to the sink the moment it closes. Hot path:
 * one array slot per open element, one Map lookup per element on a known path, no work below a SKIP,
 * and text is kept only inside the elements that are read.
 */
export class ArticleSetReader {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private readonly children = P.buildChildTable();
  private readonly handlers: ContextHandlers;
  private readonly stack: number[] = [P.DOC];
  private depth = 0;
  private failure: { error: unknown } | undefined;
  private recordIndex = -1;
  private recordLine = 0;
  private capturing = false;
  private text = '';
  private rich: RichTextBuilder | undefined;

  constructor(private readonly sink: ArticleSetSink) {
    this.handlers = new ContextHandlers((pmids) => sink.deleted(pmids));
    const parser = this.parser;
    parser.on('opentag', (tag) => this.onOpen(tag));
    parser.on('closetag', (tag) => this.onClose(tag));
    parser.on('cdata', (text) => {
      if (this.capturing) this.onText(text);
    });
    parser.on('error', (error) => {
      throw badResponse(`PubMed XML is not well-formed: ${error.message}`, error);
    });
  }

  write(chunk: string): void {
    this.guard(() => this.parser.write(chunk));
  }

  /** Ends the document; throws bad_response if it was cut short. */
  close(): void {
    this.guard(() => this.parser.close());
  }

  private guard(step: () => void): void {
    if (this.failure !== undefined) throw this.failure.error;
    try {
      step();
    } catch (error) {
      // saxes cannot resume after an error, so every later call repeats the first failure.
      this.failure = { error };
      throw error;
    }
  }

  private readonly onText = (text: string): void => {
    if (this.rich !== undefined) this.rich.add(text);
    else this.text += text;
  };

  /**
   * saxes slices and concatenates text (every indentation newline included) only while a text handler
   * is set, so it is set only inside the elements whose text is read.
   */
  private startCapture(rich: boolean): void {
    this.capturing = true;
    if (rich) this.rich = new RichTextBuilder();
    else this.text = '';
    this.parser.on('text', this.onText);
  }

  private stopCapture(): void {
    this.capturing = false;
    this.parser.off('text');
  }

  private onOpen(tag: SaxesTagPlain): void {
    const parent = this.stack[this.depth] ?? P.SKIP;
    let context: number = P.SKIP;
    if (parent >= P.FIRST_RICH) {
      context = P.INLINE_RICH;
      this.rich?.open(tag.name);
    } else if (parent >= P.FIRST_TEXT) {
      context = P.INLINE_PLAIN;
    } else if (parent !== P.SKIP) {
      context = this.children[parent]?.get(tag.name) ?? P.SKIP;
      if (context === P.SKIP && parent === P.DOC) this.rejectRoot(tag.name);
      if (context !== P.SKIP) context = this.enter(context, tag.attributes);
    }
    this.stack[++this.depth] = context;
  }

  private enter(candidate: number, attributes: Record<string, string>): number {
    const context = this.handlers.enter(candidate, attributes);
    if (context === P.ARTICLE || context === P.BOOK_ARTICLE) {
      this.recordIndex++;
      this.recordLine = this.parser.line;
    } else if (context >= P.FIRST_TEXT) {
      this.startCapture(context >= P.FIRST_RICH);
    }
    return context;
  }

  private onClose(tag: SaxesTagPlain): void {
    const context = this.stack[this.depth--] ?? P.SKIP;
    if (context === P.SKIP || context === P.INLINE_PLAIN) return;
    if (context === P.INLINE_RICH) {
      this.rich?.close(tag.name);
    } else if (context >= P.FIRST_RICH) {
      this.stopCapture();
      const text = this.rich?.finish() ?? [];
      this.rich = undefined;
      this.handlers.leaveRich(context, text);
    } else if (context >= P.FIRST_TEXT) {
      this.stopCapture();
      this.handlers.leaveText(context, collapseSpace(this.text));
      this.text = '';
    } else if (context === P.ARTICLE || context === P.BOOK_ARTICLE) {
      this.finishRecord();
    } else {
      this.handlers.leave(context);
    }
  }

  private rejectRoot(name: string): never {
    const what = name.toLowerCase() === 'html' ? 'an HTML page' : `<${name}>`;
    throw badResponse(`expected a PubmedArticleSet, got ${what}`);
  }

  private finishRecord(): void {
    const draft = this.handlers.draft;
    this.handlers.draft = undefined;
    if (draft === undefined) return;
    let article: Article;
    try {
      article = draft.toArticle();
    } catch (error) {
      // One unmappable record must not cost the other 99,999 of a baseline file.
      const message =
        error instanceof RecordMappingError ? error.message : `record could not be mapped: ${String(error)}`;
      const problem: RecordProblem = { index: this.recordIndex, line: this.recordLine, message };
      if (draft.pmid !== undefined) problem.pmid = draft.pmid;
      this.sink.problem(problem);
      return;
    }
    this.sink.article(article, this.recordLine);
  }
}
