export { Button, ButtonLink } from './Button.js';
export { CheckboxGroup } from './CheckboxGroup.js';
export { SearchComboBox, type SearchItem } from './ComboBox.js';
export { ModalDialog } from './Dialog.js';
export {
  Alert,
  Announcements,
  announce,
  Badge,
  type BadgeTone,
  Card,
  type Confirmation,
  createdOrSaved,
  EmptyState,
  Loading,
  QueryView,
} from './Feedback.js';
export { FileField, type Option, optionsOf, SelectField, TextAreaField, TextField } from './Field.js';
export { Form } from './Form.js';
export { formatBytes, formatDate, formatDateTime, formatNumber, today } from './format.js';
export { PageTitle } from './PageTitle.js';
export { Pagination, useCursorPages } from './Pagination.js';
export { type Column, formatSort, parseSort, type SortState, Table } from './Table.js';
