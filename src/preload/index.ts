// The preload is the only bridge between the sandboxed renderer and the main process. It exposes one
// function per API method and one event subscription, never ipcRenderer itself (ARCHITECTURE.md).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { methods, type MethodName, type StreamName } from '../shared/api/contract';
import { ipcChannels, type BridgeResponse, type PreloadBridge } from '../shared/api/wire';

const bridgeMethods = Object.fromEntries(
  (Object.keys(methods) as MethodName[]).map((name) => [
    name,
    (input: unknown): Promise<BridgeResponse> => ipcRenderer.invoke(ipcChannels.call, name, input),
  ]),
) as PreloadBridge['methods'];

const bridge: PreloadBridge = {
  methods: bridgeMethods,
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, message: { stream: StreamName; id: string; event: unknown }) => listener(message);
    ipcRenderer.on(ipcChannels.event, handler);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, handler);
    };
  },
  // File.path is gone since Electron 32; a dropped folder arrives as a File too and gets its path the same way.
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('quarry', bridge);
