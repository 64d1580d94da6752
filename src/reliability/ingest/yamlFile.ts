/**
 * A YAML file split into its documents, keeping the parser's positions so every problem found in
 * a spec can say `file:line:col`.
 */
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import { jsonPointer, type Problem, type SourceLocation } from '../../core/errors.js';

/** One non-empty YAML document of a file. */
export interface YamlDocument {
  /** 0-based position among the file's documents (empty ones included, as they appear). */
  index: number;
  /** The document as plain data (YAML 1.2 core schema). */
  value: unknown;
  node: Document.Parsed;
}

/** A path into a document: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** A parsed YAML file: its documents, its syntax problems and a way to locate any path in it. */
export class YamlFile {
  readonly documents: YamlDocument[] = [];
  readonly problems: Problem[] = [];
  private readonly lineCounter = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    const parsed = parseAllDocuments(text, { lineCounter: this.lineCounter, prettyErrors: false });
    // A stream that is not YAML at all comes back as an empty document with errors.
    const docs = Array.isArray(parsed) ? parsed : [parsed];
    for (const [index, doc] of docs.entries()) {
      for (const error of doc.errors) {
        this.problems.push({
          severity: 'error',
          message: `YAML: ${error.message.split('\n')[0]}`,
          location: this.position(error.pos[0]),
        });
      }
      if (doc.errors.length > 0) continue;
      // Empty documents (a leading `---`, a comment-only document) hold no spec: Sloth skips them too.
      if (doc.contents === null) continue;
      this.documents.push({ index, value: doc.toJS({ maxAliasCount: 100 }), node: doc });
    }
  }

  /** The location of a byte offset. */
  position(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /**
   * The location of `path` in `doc`: the value (or with `key`, the key) at the deepest part of the
   * path that exists, so a missing field points at the map that should hold it.
   */
  locate(doc: YamlDocument, path: YamlPath, at: 'key' | 'value' = 'value'): SourceLocation {
    let node: Node | null | undefined = doc.node.contents as Node | null;
    let range = node?.range;
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
        );
        if (!pair) break;
        const key = pair.key as Node;
        const value = pair.value as Node | null;
        range = last && at === 'key' ? key.range : (value?.range ?? key.range);
        node = value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        range = item.range;
        node = item;
      } else {
        break;
      }
    }
    const location = range ? this.position(range[0]) : { file: this.file };
    return { ...location, pointer: jsonPointer(path) };
  }

  /** The source text of a scalar at `path` (`0.2`, `true`), for label values Sloth reads as strings. */
  scalarSource(doc: YamlDocument, path: YamlPath): string | undefined {
    const node = doc.node.getIn(path, true);
    if (isScalar(node)) return node.source ?? String(node.value);
    return undefined;
  }
}
