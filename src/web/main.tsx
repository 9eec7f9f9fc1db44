import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { defined } from '../contracts/defined.js';
import { App } from './app/App.js';
import './ui/styles.css';

createRoot(defined(document.getElementById('root'), 'the #root element of index.html')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
