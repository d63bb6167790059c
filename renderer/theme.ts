// One grid theme for the whole app (AG Grid theming API). Styles are injected by the grid as <style>
// elements, which the page's CSP admits only with its per-page nonce.
import { themeQuartz } from 'ag-grid-community';

export const FONT_STACK = ['"Noto Sans CJK SC"', '"Source Han Sans SC"', '"Microsoft YaHei"', '"PingFang SC"', 'sans-serif'];

export const gridTheme = themeQuartz.withParams({
  fontFamily: FONT_STACK,
  headerFontFamily: FONT_STACK,
  cellFontFamily: FONT_STACK,
  fontSize: 13,
  headerFontSize: 13,
  headerFontWeight: 600,
  rowHeight: 28,
  headerHeight: 32,
  spacing: 4,
  wrapperBorderRadius: 0,
  borderRadius: 2,
  accentColor: '#1f5fa8',
  headerBackgroundColor: '#eef2f7',
  oddRowBackgroundColor: '#fbfcfd',
  columnBorder: true,
  rowBorder: true,
  headerColumnBorder: true,
  browserColorScheme: 'light',
});

/** The nonce the host put in the page (browser host); AG Grid stamps it on the <style> elements it adds. */
export function styleNonce(): string | undefined {
  return document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? undefined;
}
