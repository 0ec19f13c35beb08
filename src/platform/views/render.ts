import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Server-side rendering with automatic escaping (preact-render-to-string escapes every text and attribute). */
export function renderPage(node: VNode): string {
  return `<!doctype html>${renderToString(node)}`;
}
