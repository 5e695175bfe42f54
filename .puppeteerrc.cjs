// Puppeteer drives Debian's Firefox ESR here (scripts/engines.mjs): it must never download a browser.
module.exports = { skipDownload: true };
