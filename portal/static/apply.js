// 申请 低保 / 高龄津贴, step by step (an agent starts with the mandate). The draft is kept on
// the phone after every change; "提交" hands the case to the outbox, which sends it now or
// when the network returns, and then the case's own page takes over.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const outbox = window.portalOutbox;

  // Display catalogue of the materials a programme usually asks for; what is actually
  // missing is the API's word, shown on the case page (一次性告知).
  const SLOTS = {
    dibao: [['id_card', '身份证'], ['hukou', '户口簿'], ['income_proof', '收入证明'],
      ['authorization', '授权核对书'], ['disability_cert', '残疾证(如有)'], ['other', '其他材料']],
    elderly_allowance: [['id_card', '身份证'], ['hukou', '户口簿'], ['other', '其他材料']],
  };
  const RELATIONS = [['spouse', '配偶'], ['child', '子女'], ['parent', '父母'],
    ['grandparent', '祖父母、外祖父母'], ['grandchild', '孙子女'], ['sibling', '兄弟姐妹'], ['other', '其他']];
  const STEP_TITLES = { mandate: '委托书', people: '申请人', materials: '材料', confirm: '提交' };
  const draftStore = idbKeyval.createStore('minzheng-drafts', 'drafts');

  function emptyForm() {
    return {
      step: 0, township: '', regionCode: '', areaType: 'rural', selfIncome: '0',
      applicant: { name: '', id_number: '', phone: '' }, members: [], photos: {}, jobId: null,
    };
  }

  Alpine.data('apply', () => ({
    program: '',
    user: null,
    onBehalf: false,
    form: emptyForm(),
    urls: {},
    townships: [],
    villages: [],
    relations: RELATIONS.map(([code, label]) => ({ code, label })),
    errors: {},
    message: '',
    sending: false,
    sent: false,
    queued: false,
    canRetry: false,
    percent: 0,
    progressText: '',

    get isDibao() { return this.program === 'dibao'; },
    get steps() { return (this.onBehalf ? ['mandate'] : []).concat(['people', 'materials', 'confirm']); },
    get stepName() { return this.form.jobId ? 'sending' : this.steps[this.form.step]; },
    get atMandate() { return this.stepName === 'mandate'; },
    get atPeople() { return this.stepName === 'people'; },
    get atMaterials() { return this.stepName === 'materials'; },
    get atConfirm() { return this.stepName === 'confirm'; },
    get atSending() { return this.stepName === 'sending'; },
    get stepList() {
      return this.steps.map((name, index) => ({
        index, title: STEP_TITLES[name],
        css: index === this.form.step ? 'now' : index < this.form.step ? 'done' : '',
        current: index === this.form.step ? 'step' : 'false',
      }));
    },
    get choosesRegion() { return !this.onBehalf; },
    get peopleTitle() { return this.isDibao ? '申请人和家庭成员' : '申请人(老人本人)'; },
    get hasMandate() { return Boolean(this.urls.mandate); },
    get mandateUrl() { return this.urls.mandate || ''; },
    get slots() {
      return SLOTS[this.program].map(([kind, label]) => ({ kind, label, url: this.urls[kind] || '' }));
    },
    get photoCount() { return Object.keys(this.form.photos).length; },
    get memberCount() { return this.form.members.length + 1; },
    get sendingTitle() { return this.sent ? '已提交' : this.queued ? '已保存,等待网络' : '正在提交…'; },
    get barStyle() { return { width: this.percent + '%' }; },
    memberTitle(index) { return '成员' + (index + 2); },
    memberError(index) {
      const prefix = 'household.members.' + (index + 1) + '.';
      return Object.keys(this.errors).filter((key) => key.startsWith(prefix))
        .map((key) => this.errors[key]).join(';');
    },

    async init() {
      this.program = this.$el.dataset.program;
      this.user = await api.requireMe();
      if (!this.user) return;
      this.onBehalf = this.user.role !== 'citizen';
      const saved = await idbKeyval.get(this.draftKey(), draftStore);
      if (saved) this.restore(saved);
      if (this.form.jobId) this.resume();
      this.$watch('form', () => this.keep());
      window.addEventListener('outbox:sent', (event) => this.onSent(event.detail));
      window.addEventListener('outbox:failed', (event) => this.onFailed(event.detail));
      if (!this.onBehalf) await this.loadTownships();
    },
    draftKey() { return this.program + (this.onBehalf ? ':on-behalf' : ':self'); },
    restore(saved) {
      this.form = Object.assign(emptyForm(), saved);
      Object.entries(this.form.photos).forEach(([kind, photo]) => {
        this.urls[kind] = URL.createObjectURL(photo.blob);
      });
    },
    keep() {
      if (this.sent) return null;  // a late save must not bring back a sent draft
      // A plain copy (IndexedDB cannot store Alpine's proxies); photos stay Blobs.
      const raw = Alpine.raw(this.form);
      const copy = JSON.parse(JSON.stringify(Object.assign({}, raw, { photos: {} })));
      Object.entries(raw.photos).forEach(([kind, photo]) => {
        copy.photos[kind] = { blob: Alpine.raw(photo).blob, name: photo.name };
      });
      return idbKeyval.set(this.draftKey(), copy, draftStore);
    },
    async loadTownships() {
      try {
        const counties = await api.get('/regions');
        const county = counties.items[0];
        this.townships = (await api.get('/regions?parent_code=' + county.code + '&limit=100')).items;
        if (this.form.township) {
          // A restored draft: its village is chosen again once the list is there.
          const regionCode = this.form.regionCode;
          await this.fetchVillages();
          this.$nextTick(() => { this.form.regionCode = regionCode; });
        }
      } catch (error) {
        this.message = error.message;
      }
    },
    async loadVillages() {
      this.form.regionCode = '';
      await this.fetchVillages();
    },
    async fetchVillages() {
      this.villages = this.form.township
        ? (await api.get('/regions?parent_code=' + this.form.township + '&limit=100')).items : [];
    },
    addMember() {
      this.form.members.push({ uid: api.newKey(), name: '', id_number: '', relation: 'child', monthly_income: '0' });
    },
    removeMember(index) { this.form.members.splice(index, 1); },
    async takePhoto(event) {
      const input = event.target;
      const file = input.files[0];
      if (!file) return;
      const kind = input.dataset.kind;
      const blob = await window.portalPhotos.scaleDown(file);
      this.form.photos[kind] = { blob, name: kind + '.jpg' };
      if (this.urls[kind]) URL.revokeObjectURL(this.urls[kind]);
      this.urls[kind] = URL.createObjectURL(blob);
      this.errors = Object.assign({}, this.errors, { mandate: '' });
    },
    next() {
      if (this.atMandate && !this.form.photos.mandate) {
        this.errors = { mandate: '请先拍摄居民签字的委托书' };
        return;
      }
      this.errors = {};
      this.form.step += 1;
      window.scrollTo(0, 0);
    },
    back() { this.form.step = Math.max(0, this.form.step - 1); },
    body() {
      const applicant = {
        name: this.form.applicant.name.trim(),
        id_number: this.form.applicant.id_number.trim(),
        phone: this.form.applicant.phone.trim() || null,
      };
      const body = {
        type: this.program,
        region_code: this.onBehalf ? this.user.region.code : this.form.regionCode,
        applicant,
        on_behalf: this.onBehalf,
      };
      if (this.isDibao) {
        const self = { name: applicant.name, id_number: applicant.id_number, relation: 'self',
          monthly_income: this.form.selfIncome.trim() };
        body.household = {
          area_type: this.form.areaType,
          members: [self].concat(this.form.members.map((member) => ({
            name: member.name.trim(), id_number: member.id_number.trim(),
            relation: member.relation, monthly_income: String(member.monthly_income).trim(),
          }))),
        };
      }
      return body;
    },
    async send() {
      this.message = '';
      this.sending = true;
      const photos = Alpine.raw(this.form.photos);
      const kinds = ['mandate'].concat(SLOTS[this.program].map((slot) => slot[0]));
      const job = await outbox.add({
        kind: 'application',
        label: (this.isDibao ? '低保' : '高龄津贴') + ' · ' + this.form.applicant.name.trim(),
        body: this.body(),
        submit: true,
        files: kinds.filter((kind) => photos[kind]).map((kind) => ({
          kind, blob: photos[kind].blob, name: photos[kind].name,
        })),
      });
      this.form.jobId = job.id;
      this.sending = false;
      this.resume();
    },
    async resume() {
      this.canRetry = false;
      this.message = '';
      this.progressText = '正在提交申请…';
      const jobs = await outbox.list();
      if (!jobs.some((job) => job.id === this.form.jobId)) {
        await this.forget();  // sent from another page or tab meanwhile
        return;
      }
      await outbox.run((job, index, fraction) => this.onProgress(job, index, fraction));
      if (!navigator.onLine || (await outbox.list()).some((job) => job.id === this.form.jobId && !job.error)) {
        this.queued = true;
        this.canRetry = true;
        this.message = '网络不稳定,申请已保存在手机上,联网后自动发送,也可点“重试”。';
      }
    },
    retry() { this.resume(); },
    onProgress(job, index, fraction) {
      if (job.id !== this.form.jobId) return;
      const total = job.files.length || 1;
      this.percent = Math.round(((index + fraction) / total) * 100);
      this.progressText = '正在上传第 ' + (index + 1) + '/' + total + ' 张照片';
    },
    async onSent(detail) {
      if (detail.job.id !== this.form.jobId) return;
      this.sent = true;
      this.percent = 100;
      await this.forget();
      location.assign('/cases/' + detail.applicationId);
    },
    async onFailed(detail) {
      if (detail.job.id !== this.form.jobId) return;
      if (detail.job.applicationId) {
        this.message = detail.error.message;
        this.canRetry = true;
        return;
      }
      // Refused before the case existed: back to the form, the fields named.
      await outbox.remove(detail.job.id);
      this.form.jobId = null;
      this.errors = api.fieldErrors(detail.error);
      this.message = detail.error.message;
      this.form.step = this.steps.indexOf('people');
      if (this.errors.mandate) this.form.step = 0;
    },
    async forget() {
      await idbKeyval.del(this.draftKey(), draftStore);
    },
  }));
});
