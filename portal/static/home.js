// 首页: the four services for everyone; a signed-in resident's cases and appointments.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const labels = window.portalLabels;

  Alpine.data('home', () => ({
    user: null,
    loaded: false,
    cases: [],
    get signedIn() { return Boolean(this.user); },
    get signedOut() { return this.loaded && !this.user; },
    get isAgent() { return this.user && this.user.role === 'agent'; },
    get noCases() { return this.signedIn && this.cases.length === 0; },
    async init() {
      this.user = await api.me();
      this.loaded = true;
      if (!this.user || !['citizen', 'agent'].includes(this.user.role)) return;
      const [cases, appointments] = await Promise.all([
        api.get('/applications?limit=20'),
        api.get('/appointments?limit=20'),
      ]);
      this.cases = cases.items.map((item) => ({
        id: 'case-' + item.id,
        href: '/cases/' + item.id,
        title: labels.word('program', item.type) + ' ' + item.number,
        statusLabel: labels.word('status', item.status),
      })).concat(appointments.items.map((item) => ({
        id: 'appointment-' + item.id,
        href: '/appointments/' + item.id,
        title: labels.word('service', item.service) + ' ' + item.slot.date + labels.word('period', item.slot.period),
        statusLabel: labels.word('status', item.status),
      })));
    },
    async logout() {
      await api.post('/auth/logout').catch(() => null);
      location.assign('/');
    },
  }));
});
