import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { defined } from '../contracts/defined.js';
import { installFrenchErrors } from '../contracts/validation.js';
import { App } from './app/App.js';
import './ui/styles.css';

// The forms check the contracts before sending, with the server's French messages.
installFrenchErrors();

createRoot(defined(document.getElementById('root'), 'the #root element of index.html')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
