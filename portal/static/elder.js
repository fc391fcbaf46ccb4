// 长辈模式 (互联网应用适老化): larger text, higher contrast, bigger buttons, a simpler home.
// Loaded in <head> without defer so the class is set before the first paint; the choice is
// remembered on the device.
(function () {
  const KEY = 'minzheng.elder';
  const root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY) === '1'; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle('elder', on);
    const button = document.getElementById('elder-switch');
    if (button) button.setAttribute('aria-pressed', String(on));
  }
  apply(stored());
  document.addEventListener('DOMContentLoaded', function () {
    apply(stored());
    document.getElementById('elder-switch').addEventListener('click', function () {
      const on = !root.classList.contains('elder');
      try { localStorage.setItem(KEY, on ? '1' : '0'); } catch (e) { /* private mode: this page only */ }
      apply(on);
    });
  });
})();
