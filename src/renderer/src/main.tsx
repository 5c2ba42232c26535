import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api';
import { App } from './app/App';
import { ClientContext } from './app/ClientContext';
import './app/styles.css';

const handle = createClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={handle}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
