/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A browser stand-in for `@hubspot/ui-extensions`, just the part the card uses (its imports in
// hubspot-project/app/cards/*.tsx), rendered as plain React DOM styled like HubSpot's sidebar (card-host.css).
// The card bundle aliases the package to this file (bundle.ts), so the card's own code runs unchanged.
// HubSpot's components take `testId`; it becomes `data-testid`, as in HubSpot's rendered cards.
import { createElement as h, type ReactNode } from 'react';
import { hostRuntime, type ExtensionRender } from './runtime';

interface Common {
  testId?: string;
  children?: ReactNode;
}
const tid = (testId?: string) => (testId ? { 'data-testid': testId } : {});

export function Text({ testId, children, variant, format }: Common & { variant?: 'bodytext' | 'microcopy'; format?: { fontWeight?: string } }) {
  const bold = format?.fontWeight === 'bold' || format?.fontWeight === 'demibold';
  return h('p', { ...tid(testId), className: `hs-text${variant === 'microcopy' ? ' hs-microcopy' : ''}${bold ? ' hs-demibold' : ''}` }, children);
}

export function Button({ testId, children, onClick, disabled, variant = 'secondary' }: Common & { onClick?: () => void; disabled?: boolean; variant?: string }) {
  return h('button', { ...tid(testId), type: 'button', className: `hs-button hs-button--${variant}`, disabled, onClick }, children);
}

export function StatusTag({ testId, children, variant = 'default' }: Common & { variant?: string }) {
  return h('span', { ...tid(testId), className: `hs-status-tag hs-status-tag--${variant}` }, h('span', { className: 'hs-dot' }), children);
}

export function Tag({ testId, children, variant = 'default' }: Common & { variant?: string }) {
  return h('span', { ...tid(testId), className: `hs-tag hs-tag--${variant}` }, children);
}

export function Alert({ testId, children, title, variant = 'info' }: Common & { title: string; variant?: string }) {
  return h('div', { ...tid(testId), role: 'alert', className: `hs-alert hs-alert--${variant}` }, h('strong', null, title), h('div', null, children));
}

export function Flex({ children, direction = 'row', gap, align, justify, wrap }: Common & { direction?: 'row' | 'column'; gap?: string; align?: string; justify?: string; wrap?: boolean | string }) {
  const classes = ['hs-flex', `hs-flex--${direction}`, gap ? `hs-gap--${gap}` : '', align ? `hs-align--${align}` : '', justify ? `hs-justify--${justify}` : '', wrap ? 'hs-wrap' : ''];
  return h('div', { className: classes.filter(Boolean).join(' ') }, children);
}

export function Divider() {
  return h('hr', { className: 'hs-divider' });
}

export function LoadingSpinner({ testId, label }: Common & { label?: string; layout?: string }) {
  return h('div', { ...tid(testId), className: 'hs-loading', role: 'status' }, h('span', { className: 'hs-spinner' }), label);
}

function stateBlock(kind: 'empty' | 'error') {
  return ({ testId, children, title }: Common & { title?: string; imageName?: string; layout?: string; flush?: boolean }) =>
    h('div', { ...tid(testId), className: `hs-state hs-state--${kind}` }, title ? h('h3', null, title) : null, children);
}
export const EmptyState = stateBlock('empty');
export const ErrorState = stateBlock('error');

export const hubspot = {
  /** Called by the card module at load: the host renders what it registers (boot.ts). */
  extend: (render: ExtensionRender) => hostRuntime.register(render),
  /** HubSpot's proxy: the sandbox signs and forwards the request, as HubSpot does (test/sandbox/card-fetch.ts). */
  fetch: (url: string, options: { method?: string; body?: unknown; timeout?: number } = {}) => hostRuntime.fetch(url, options),
};
