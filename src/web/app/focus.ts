/**
 * After a client-side navigation the new page's h1 receives focus, so screen-reader and keyboard
 * users start at the new content (RGAA 12.x). Not on the first load: the skip link stays first.
 */
let pending = false;

export function markNavigation() {
  pending = true;
}

export function focusPageTitle(element: HTMLElement | null) {
  if (!pending || !element) return;
  pending = false;
  element.focus();
}
