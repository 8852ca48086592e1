// Drives the XML scanner over a PubmedArticleSet: tags → numbered contexts → record boundaries → sink.
// Leaves what each context means to xml-handlers.ts and tokenizing to xml-scanner.ts.

import type { Article } from '../core/article';
import { PaperbotError } from '../core/errors';
import { ContextHandlers } from './xml-handlers';
import * as P from './xml-paths';
import { RecordMappingError } from './xml-record';
import { RichTextBuilder, collapseSpace } from './xml-rich';
import { XmlScanner, XmlSyntaxError, type ScanHandler } from './xml-scanner';

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
 * Feeds byte chunks through the scanner and reports each record to the sink the moment it closes. Hot
 * path: one array slot per entered element, one Map lookup per element on a known path, and elements off
 * every path are skipped by the scanner without a callback; text is decoded only inside elements read.
 */
export class ArticleSetReader {
  private readonly scanner: XmlScanner;
  private readonly children = P.buildChildTable();
  private readonly handlers: ContextHandlers;
  private readonly stack: number[] = [P.DOC];
  private depth = 0;
  private failure: { error: unknown } | undefined;
  private recordIndex = -1;
  private recordLine = 0;
  private text = '';
  private rich: RichTextBuilder | undefined;

  constructor(private readonly sink: ArticleSetSink) {
    this.handlers = new ContextHandlers((pmids) => sink.deleted(pmids));
    const events: ScanHandler = {
      open: (name) => this.onOpen(name),
      close: (name) => this.onClose(name),
      text: (text) => this.onText(text),
    };
    this.scanner = new XmlScanner(events);
  }

  /** Bytes are UTF-8; a string is encoded first (a whole efetch answer, or string chunks). */
  write(chunk: Buffer | string): void {
    this.guard(() => this.scanner.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
  }

  /** Ends the document; throws bad_response if it was cut short. */
  close(): void {
    this.guard(() => this.scanner.end());
  }

  private guard(step: () => void): void {
    if (this.failure !== undefined) throw this.failure.error;
    try {
      step();
    } catch (error) {
      // The scanner's state is undefined after an error, so every later call repeats the first failure.
      const reported =
        error instanceof XmlSyntaxError
          ? badResponse(`PubMed XML is not well-formed: ${error.message}`, error)
          : error;
      this.failure = { error: reported };
      throw reported;
    }
  }

  private onText(text: string): void {
    if (this.rich !== undefined) this.rich.add(text);
    else this.text += text;
  }

  private startCapture(rich: boolean): void {
    this.scanner.capturing = true;
    if (rich) this.rich = new RichTextBuilder();
    else this.text = '';
  }

  private onOpen(name: string): boolean {
    const parent = this.stack[this.depth] as number;
    let context: number;
    if (parent >= P.FIRST_RICH) {
      context = P.INLINE_RICH;
      this.rich?.open(name);
    } else if (parent >= P.FIRST_TEXT) {
      context = P.INLINE_PLAIN;
    } else {
      context = this.children[parent]?.get(name) ?? P.SKIP;
      if (context === P.SKIP) {
        if (parent === P.DOC) this.rejectRoot(name);
        return false;
      }
      context = this.enter(context);
      if (context === P.SKIP) return false;
    }
    this.stack[++this.depth] = context;
    return true;
  }

  private enter(candidate: number): number {
    const context = this.handlers.enter(candidate, this.scanner);
    if (context === P.ARTICLE || context === P.BOOK_ARTICLE) {
      this.recordIndex++;
      this.recordLine = this.scanner.line;
    } else if (context >= P.FIRST_TEXT) {
      this.startCapture(context >= P.FIRST_RICH);
    }
    return context;
  }

  private onClose(name: string): void {
    const context = this.stack[this.depth--] as number;
    if (context === P.INLINE_PLAIN) return;
    if (context === P.INLINE_RICH) {
      this.rich?.close(name);
    } else if (context >= P.FIRST_RICH) {
      this.scanner.capturing = false;
      const text = this.rich?.finish() ?? [];
      this.rich = undefined;
      this.handlers.leaveRich(context, text);
    } else if (context >= P.FIRST_TEXT) {
      this.scanner.capturing = false;
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
