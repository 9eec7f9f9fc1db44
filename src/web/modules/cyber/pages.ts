/** The route components of the cybersecurity pages, loaded on demand as one chunk. */

export { MyAdvisoriesPage } from './advisories/MyAdvisoriesPage.js';
export { MyAdvisoryPage } from './advisories/MyAdvisoryPage.js';
export { CyberOverviewPage } from './CyberOverviewPage.js';
export { DiagnosticPage } from './diagnostics/DiagnosticPage.js';
export { DiagnosticsPage } from './diagnostics/DiagnosticsPage.js';
export { NewDiagnosticPage } from './diagnostics/NewDiagnosticPage.js';
export { IncidentPage } from './incidents/IncidentPage.js';
export { IncidentsPage } from './incidents/IncidentsPage.js';
export { NewIncidentPage } from './incidents/NewIncidentPage.js';
export { InventoryImportPage } from './inventory/InventoryImportPage.js';
export { InventoryPage } from './inventory/InventoryPage.js';
export { AdvisoriesPage } from './operator-cyber/AdvisoriesPage.js';
export { CyberDashboardPage } from './operator-cyber/CyberDashboardPage.js';
export { CyberMemberPage } from './operator-cyber/CyberMemberPage.js';
export { CyberMembersPage } from './operator-cyber/CyberMembersPage.js';
export { CyberSettingsPage } from './operator-cyber/CyberSettingsPage.js';
export { ExposurePage } from './operator-cyber/ExposurePage.js';
export { ImportAdvisoryPage } from './operator-cyber/ImportAdvisoryPage.js';
export { MemberAdvisoryPage } from './operator-cyber/MemberAdvisoryPage.js';
export { MemberIncidentPage } from './operator-cyber/MemberIncidentPage.js';
