import { createContext, useContext } from 'react';
import type { ClientHandle } from '../api';

export const ClientContext = createContext<ClientHandle | null>(null);

export function useClientHandle(): ClientHandle {
  const handle = useContext(ClientContext);
  if (!handle) throw new Error('useClientHandle needs a ClientContext provider.');
  return handle;
}

export function useClient() {
  return useClientHandle().client;
}
