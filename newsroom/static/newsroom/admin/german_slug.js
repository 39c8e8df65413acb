'use strict';
// German transliteration for prepopulated slugs: Django's URLify drops the umlaut's dots
// ("für" -> "fur"); German readers expect "fuer". Fold first, then let URLify do the rest.
// Loaded after admin/js/urlify.js (the admin's media order); prepopulate.js calls the global.
{
    const GERMAN = {'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS'};
    const urlify = window.URLify;
    if (typeof urlify === 'function') {
        window.URLify = function(text, maxLength, allowUnicode) {
            // NFC: an umlaut typed as a vowel and a combining diaeresis is one character.
            const folded = text.normalize('NFC').replace(/[äöüÄÖÜßẞ]/g, (char) => GERMAN[char]);
            return urlify(folded, maxLength, allowUnicode);
        };
    }
}
