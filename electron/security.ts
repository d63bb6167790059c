// The desktop shell's security rules as plain functions, so they can be checked without Electron.
// The page is treated as untrusted: it runs sandboxed with no Node, may not navigate, open windows, attach
// webviews or obtain permissions, is served only from app://bundle/ out of the built renderer folder, and
// IPC is answered only for frames showing that origin.
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, Event as ElectronEvent, Session, WebContents } from 'electron';
import { resolveStaticPath } from '../server/host.js';

/** Our own scheme: registered as standard + secure before the app is ready. */
export const APP_SCHEME = 'app';
/** The only host the scheme answers for; any other host is refused. */
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Privileges of app:// — standard (real origin, relative URLs) and secure (not "mixed content"), nothing more. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
  codeCache: true,
} as const;

export interface WindowOptionsInput {
  preloadPath: string;
  /** Dev tools only in an unpackaged run: a packaged app gives a user no way to run code in the page. */
  devTools: boolean;
  iconPath?: string;
}

export function windowOptions({ preloadPath, devTools, iconPath }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: '部门预算编制',
    show: false,
    backgroundColor: '#ffffff',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools,
    },
  };
}

interface AppUrlParts {
  pathname: string;
}

/** The parts of an app://bundle/… URL, or null for any other scheme, host, port or user info. */
function parseAppUrl(url: string | null | undefined): AppUrlParts | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // URL.origin is "null" for schemes WHATWG does not know, so compare the pieces.
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST) return null;
  if (parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return null;
  return { pathname: parsed.pathname };
}

/**
 * The file inside `root` (the built renderer) that an app:// request asks for, or null when the request
 * names another host or tries to leave `root` (../, encoded %2e%2e or %2f, backslashes, NUL, dot files).
 */
export function resolveAppUrl(requestUrl: string, root: string): string | null {
  const parts = parseAppUrl(requestUrl);
  if (!parts) return null;
  if (parts.pathname === '' || parts.pathname === '/') return join(root, 'index.html');
  return resolveStaticPath(root, parts.pathname);
}

/** IPC is answered only for a frame that shows our own page (not a frame that navigated elsewhere). */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return parseAppUrl(frameUrl) !== null;
}

/** The app never navigates: the renderer is a single page, and a foreign page must never get our preload. */
export function isAllowedNavigation(_url: string): boolean {
  return false;
}

/** What of WebContents the handlers below need; tests pass a fake. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Refuses navigation, redirects, new windows and webviews for one WebContents (installed for every one created). */
export function installSecurityHandlers(contents: GuardedContents): void {
  const refuseNavigation = (event: ElectronEvent<{ url: string }>) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-frame-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * The one permission our own page gets: writing plain text to the clipboard (copying cells). Reading the
 * clipboard stays refused: pasting goes through the paste event, which needs no permission.
 */
const GRANTED_TO_APP = new Set<string>(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string | null | undefined): boolean {
  return GRANTED_TO_APP.has(permission) && isTrustedSender(requestingUrl);
}

/** What of Session the permission guard needs; tests pass a fake. */
export type GuardedSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Camera, notifications, clipboard-read, USB, HID, … : refused, whoever asks. */
export function installPermissionGuards(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
