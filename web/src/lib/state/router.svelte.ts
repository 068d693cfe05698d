// History-API routing: the current path, navigation, and same-origin link clicks without reloads.

export class Router {
  path = $state(location.pathname);
  search = $state(location.search);

  /** Asked with the destination before any navigation; false keeps the user here (a form with unsaved changes). */
  leaving: ((to: string) => boolean) | null = null;

  constructor() {
    addEventListener('popstate', () => {
      // Back or forward cannot be cancelled: put the page's URL back instead.
      if (this.leaving?.(location.pathname) === false) history.pushState(null, '', this.path + this.search);
      else this.sync();
    });
  }

  navigate(to: string, options: { replace?: boolean } = {}): void {
    if (this.leaving?.(to) === false) return;
    if (options.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
  }

  /** Document click handler: plain clicks on internal links navigate in place. */
  handleClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href]');
    if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
    if (link.origin !== location.origin || link.pathname.startsWith('/api/') || link.pathname.startsWith('/docs')) return;
    event.preventDefault();
    this.navigate(link.pathname + link.search);
  };

  private sync(): void {
    this.path = location.pathname;
    this.search = location.search;
  }
}

export const router = new Router();
