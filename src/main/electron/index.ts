// The Electron door: windows, the preload bridge, safeStorage and the app:// protocol. All behaviour lives in
// the services built by createApp; this file only wires them to Electron and keeps the renderer locked down.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { basename, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../app';
import { ipcChannels, type BridgeResponse } from '../../shared/api/wire';
import { SafeStorageSecretBox } from './SafeStorageSecretBox';
import { contentSecurityPolicy } from '../server/contentSecurityPolicy';

const APP_ORIGIN = 'app://quarry';
const rendererDir = join(import.meta.dirname, '../renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Chromium's --user-data-dir moves the window's profile; Quarry's own data follows it, so a second profile
// (or a test) never shares the first one's connections.
const userDataSwitch = app.commandLine.getSwitchValue('user-data-dir');
if (userDataSwitch) app.setPath('userData', userDataSwitch);

let quarry: App | undefined;
let mainWindow: BrowserWindow | undefined;

/** Serves the built renderer from app://quarry/ with the CSP header; nothing outside rendererDir is reachable. */
function registerAppProtocol(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererDir, relative));
    if (url.host !== 'quarry' || !file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy({ connectSrc: [] }));
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** VS Code's validatedIpcMain: only our own top frame, loaded from app://quarry, may call the services. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || !mainWindow || event.sender !== mainWindow.webContents) return false;
  if (frame !== mainWindow.webContents.mainFrame) return false;
  return new URL(frame.url).origin === APP_ORIGIN;
}

function wireIpc(services: App): void {
  ipcMain.handle(ipcChannels.call, async (event, method: unknown, input: unknown): Promise<BridgeResponse> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC sender is not the Quarry window.' } };
    if (method === 'query.export') {
      const chosen = await chooseExportPath(input);
      if (!chosen) return { ok: false, error: { code: 'CANCELLED', message: 'Export cancelled.' } };
      return services.dispatcher.invoke(method, chosen);
    }
    return services.dispatcher.invoke(method, input);
  });
  services.dispatcher.subscribe((message) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(ipcChannels.event, message);
  });
}

/**
 * The renderer names the file; the user picks where it goes in the native save dialog. The renderer never
 * chooses a path on disk itself, so a compromised page cannot write files where it likes.
 */
async function chooseExportPath(input: unknown): Promise<unknown> {
  if (typeof input !== 'object' || input === null) return input;
  const request = input as { path?: unknown; format?: unknown };
  const name = typeof request.path === 'string' && request.path ? basename(request.path) : 'result';
  const format = request.format === 'json' ? 'json' : 'csv';
  const options = {
    defaultPath: join(app.getPath('downloads'), name),
    filters: [{ name: format.toUpperCase(), extensions: [format] }],
  };
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? undefined : { ...request, path: result.filePath };
}

function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never in a Quarry window.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Quarry',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  lockDown();
  registerAppProtocol();
  quarry = await createApp({
    dataDir: app.getPath('userData'),
    resourcesDir: app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources'),
    door: 'electron',
    version: app.getVersion(),
    // Without an OS keychain (e.g. Linux without libsecret) createApp falls back to its key file.
    secretBox: SafeStorageSecretBox.isAvailable() ? new SafeStorageSecretBox() : undefined,
  });
  wireIpc(quarry);
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let disposing = false;
app.on('will-quit', (event) => {
  if (!quarry || disposing) return;
  disposing = true;
  event.preventDefault();
  void quarry.dispose().finally(() => app.exit(0));
});

main().catch((error: unknown) => {
  console.error('Quarry failed to start:', error instanceof Error ? error.message : error);
  app.exit(1);
});
