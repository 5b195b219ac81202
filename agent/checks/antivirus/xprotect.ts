import type { XProtectInstall } from './types.js';

/**
 * XProtect installs in `system_profiler SPInstallHistoryDataType -json`:
 * `{"SPInstallHistoryDataType": [{"_name", "install_date",
 * "install_version", "package_source"}]}`, the date in UTC as
 * `2024-02-27T04:10:11Z`. Apple ships the definitions as packages named
 * XProtectPlistConfigData, XProtectPayloads and XProtectCloudKitUpdate.
 * Undefined when the text is not that document.
 */
export function xprotectInstallsInJson(
  text: string,
): XProtectInstall[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const items = (doc as { SPInstallHistoryDataType?: unknown } | null)
    ?.SPInstallHistoryDataType;
  if (!Array.isArray(items)) return undefined;

  return items.flatMap((item: Record<string, unknown>) => {
    const name = typeof item?._name === 'string' ? item._name : '';
    const at = Date.parse(String(item?.install_date ?? ''));
    if (!/^XProtect/i.test(name) || Number.isNaN(at)) return [];
    const version = item.install_version;
    return [
      {
        name,
        ...(typeof version === 'string' ? { version } : {}),
        installedAt: new Date(at),
      },
    ];
  });
}

/** CFBundleShortVersionString of an XML property list, if it has one. */
export function plistVersion(text: string): string | undefined {
  const m =
    /<key>CFBundleShortVersionString<\/key>\s*<string>([^<]+)<\/string>/.exec(
      text,
    );
  return m?.[1]?.trim() || undefined;
}
