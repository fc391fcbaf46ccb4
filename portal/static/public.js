// Public pages without sign-in: standards in force, public notices, how to reach us.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const AREAS = { urban: '城镇', rural: '农村' };
  const UNITS = { month: '元/月', year: '元/年' };
  const NOTICE_STATES = { publicizing: '公示中', approved: '已纳入保障' };

  Alpine.data('standards', () => ({
    countyName: '',
    dibao: [],
    bands: [],
    message: '',
    async init() {
      try {
        const standards = await api.get('/standards');
        this.countyName = standards.county_name;
        this.dibao = standards.dibao.filter((row) => row.in_force).map((row, index) => ({
          key: index, area: AREAS[row.area_type] || row.area_type,
          amount: row.amount + ' ' + (UNITS[row.unit] || row.unit),
          monthly: row.monthly_equivalent + ' 元', from: row.effective_from,
        }));
        this.bands = standards.elderly_bands.map((band, index) => ({
          key: index,
          ages: band.min_age + (band.max_age ? '–' + band.max_age + ' 周岁' : ' 周岁以上'),
          amount: band.monthly_amount + ' 元', from: band.effective_from,
        }));
      } catch (error) {
        this.message = error.message;
      }
    },
  }));

  Alpine.data('notices', () => ({
    townships: [],
    villages: [],
    township: '',
    regionCode: '',
    items: [],
    loaded: false,
    message: '',
    get hasItems() { return this.items.length > 0; },
    get empty() { return this.loaded && this.items.length === 0; },
    async init() {
      const counties = await api.get('/regions');
      this.townships = (await api.get('/regions?limit=100&parent_code=' + counties.items[0].code)).items;
    },
    async loadVillages() {
      this.regionCode = '';
      this.items = [];
      this.loaded = false;
      this.villages = this.township
        ? (await api.get('/regions?limit=100&parent_code=' + this.township)).items : [];
    },
    async load() {
      if (!this.regionCode) return;
      try {
        const page = await api.get('/public/notices?limit=100&region_code=' + this.regionCode);
        this.items = page.items.map((row, index) => ({
          key: index, name: row.name, village: row.village,
          status: NOTICE_STATES[row.status] || row.status, amount: row.monthly_amount || '—',
        }));
        this.loaded = true;
      } catch (error) {
        this.message = error.message;
      }
    },
  }));

  Alpine.data('contact', () => ({
    offices: [],
    async init() {
      const offices = await api.get('/registry-offices').catch(() => ({ items: [] }));
      this.offices = offices.items.map((office) => Object.assign({ tel: 'tel:' + office.phone }, office));
    },
  }));
});
