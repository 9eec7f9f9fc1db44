/**
 * Loads every module's `member-section.tsx`, which registers its section (member-sections.ts). Vite
 * finds them at build time: a new module's file is picked up without editing this one. Imported by
 * the member pages only, so the sections stay in those pages' lazy chunk.
 */
import.meta.glob('../modules/*/member-section.tsx', { eager: true });

export { memberSectionsFor } from './member-sections.js';
