import { Link } from '@tanstack/react-router';

/** The support team's pages, linked from each of them. */
export function SupportTeamNav() {
  return (
    <nav aria-label="Pages de l’assistance" className="support-team-nav">
      <ul>
        <li>
          <Link to="/operateur/assistance" activeOptions={{ exact: true }}>
            File des tickets
          </Link>
        </li>
        <li>
          <Link to="/operateur/formations">Formations</Link>
        </li>
        <li>
          <Link to="/operateur/assistance/articles">Base de connaissances</Link>
        </li>
        <li>
          <Link to="/operateur/assistance/niveaux">Niveaux de service</Link>
        </li>
      </ul>
    </nav>
  );
}
