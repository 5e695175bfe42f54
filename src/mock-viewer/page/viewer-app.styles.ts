import { css } from 'lit';

export default css`
  :host {
    display: block;
    min-height: 100vh;
    font: 15px/1.5 system-ui, sans-serif;
    color: #1c1c1c;
    background: #f3f5f9;
  }
  .bar {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 16px;
    padding: 10px 20px;
    background: #234075;
    color: #fff;
  }
  .brand { font-weight: 700; }
  .brand small { font-weight: 400; color: #c9d6ee; margin-left: 6px; }
  .user { font-size: 14px; }
  .link { background: none; border: 0; color: #fff; text-decoration: underline; font: inherit; cursor: pointer; margin-left: 8px; }
  main { padding: 20px; }
  .card { max-width: 720px; margin: 0 auto; padding: 20px 24px; background: #fff; border: 1px solid #d5dbe3; border-radius: 6px; }
  h1 { font-size: 22px; margin: 0 0 10px; }
  /* Headings take the focus on each new screen for screen readers; they are not controls. */
  h1[tabindex='-1']:focus { outline: none; }
  h2 { font-size: 18px; margin: 0 0 10px; }
  .notice.error { border-left: 6px solid #b3261e; }
  .notice.progress { border-left: 6px solid #234075; }
  .choices { display: flex; gap: 12px; margin-top: 16px; flex-wrap: wrap; }
  button { font: inherit; padding: 8px 16px; border-radius: 4px; border: 1px solid #234075; background: #fff; color: #234075; cursor: pointer; }
  button.primary { background: #234075; color: #fff; }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #1a5a96; outline-offset: 2px; }
  button[disabled] { opacity: 0.6; cursor: progress; }
  .code { font: 700 32px/1.2 ui-monospace, monospace; letter-spacing: 0.2em; margin: 12px 0 18px; }
  .hint { color: #4a5565; font-size: 14px; }
  form label { display: block; margin-bottom: 12px; }
  form input { display: block; margin-top: 4px; padding: 6px 8px; font: inherit; width: 260px; }
  table { border-collapse: collapse; width: 100%; background: #fff; margin-top: 10px; }
  caption { text-align: left; font-weight: 600; padding: 6px 0; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e1e5ea; vertical-align: top; }
  thead th { background: #eef1f6; }
  table.match tr.differs td, table.match tr.differs th { background: #fff4e0; }
  .badge { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; background: #8a4b00; color: #fff; font-size: 12px; }
  .warn { color: #8a4b00; }
  .patient-banner { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: baseline; padding: 12px 16px; background: #fff; border: 1px solid #d5dbe3; border-radius: 6px; margin-bottom: 14px; }
  .patient-banner h1 { margin: 0; }
  .record-body { display: grid; grid-template-columns: 220px 1fr; gap: 16px; align-items: start; }
  nav ul { list-style: none; margin: 0; padding: 0; }
  button.nav { display: flex; justify-content: space-between; width: 100%; text-align: left; margin-bottom: 4px; border-color: #d5dbe3; color: #1c1c1c; }
  button.nav[aria-current='page'] { border-color: #234075; background: #e3eaf6; font-weight: 600; }
  .count { color: #4a5565; font-weight: 400; }
  .section { background: #fff; border: 1px solid #d5dbe3; border-radius: 6px; padding: 16px; max-height: calc(100vh - 190px); overflow: auto; }
  .empty, .soon { color: #4a5565; font-style: italic; }
`;
