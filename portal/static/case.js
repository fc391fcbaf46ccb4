// 办理进度: the case as the API gives it (status, deadline, timeline, the materials still
// missing with a re-upload button per kind); the buttons are the caller's allowed_actions.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const labels = window.portalLabels;
  const APPLICANT_ACTIONS = ['submit', 'resubmit', 'withdraw'];
  const FILE_STATES = { pending: '等待检查', processing: '检查中', rejected: '未通过检查' };
  // The states of a missing material in which a new photo is what it waits for.
  const REUPLOAD_STATES = ['missing', 'needs_reupload', 'rejected'];
  const REVIEW_STATES = { unreviewed: '待审核', accepted: '审核通过', needs_reupload: '需重新上传' };

  Alpine.data('caseProgress', () => ({
    id: null,
    item: {},
    loaded: false,
    message: '',
    uploading: false,
    percent: 0,
    uploadMessage: '',
    canRetry: false,
    pending: null,  // the upload to retry, with its Idempotency-Key
    get title() { return labels.word('program', this.item.type); },
    get statusLabel() { return labels.word('status', this.item.status); },
    get daysLeftText() {
      const days = this.item.days_left;
      if (days === null || days === undefined) return '';
      return days >= 0 ? '(还剩 ' + days + ' 个工作日)' : '(已超期 ' + -days + ' 个工作日)';
    },
    get actions() {
      return (this.item.allowed_actions || []).filter((code) => APPLICANT_ACTIONS.includes(code))
        .map((code) => ({
          code,
          label: labels.word('action', code),
          css: 'weui-btn ' + (code === 'withdraw' ? 'weui-btn_default' : 'weui-btn_primary'),
        }));
    },
    get missing() {
      return (this.item.missing_materials || []).map((material) =>
        Object.assign({ uploadable: REUPLOAD_STATES.includes(material.state) }, material));
    },
    get hasMissing() { return this.missing.length > 0; },
    get files() {
      return (this.item.attachments || []).map((file) => ({
        id: file.id,
        kind_label: file.kind_label,
        state: file.status === 'ready'
          ? REVIEW_STATES[file.review_status] || file.review_status
          : (FILE_STATES[file.status] || file.status) + (file.reason ? ':' + file.reason : ''),
      }));
    },
    get noFiles() { return this.files.length === 0; },
    get timeline() {
      return (this.item.timeline || []).map((event, index) => ({
        key: index,
        title: labels.word('action', event.action) + ' → ' + labels.word('status', event.to_status),
        who: labels.word('role', event.actor_role),
        at: new Date(event.at).toLocaleString('zh-CN', { hour12: false }),
        comment: event.comment,
      }));
    },
    get barStyle() { return { width: this.percent + '%' }; },
    get isDibao() { return this.item.type === 'dibao'; },
    changeKinds: [['income', '收入变化'], ['members', '家庭成员变化'], ['residence', '户籍或居住地变化'],
      ['other', '其他变化']].map(([code, label]) => ({ code, label })),
    change: { kind: 'income', happened_on: '', description: '' },
    changeErrors: {},
    changeMessage: '',
    changeSent: false,
    changeKey: null,
    async reportChange() {
      this.changeErrors = {};
      this.changeMessage = '';
      this.changeKey = this.changeKey || api.newKey();
      const body = { kind: this.change.kind, happened_on: this.change.happened_on,
        description: this.change.description.trim() };
      try {
        await api.post('/applications/' + this.id + '/changes', body, { key: this.changeKey });
        this.changeSent = true;
        await this.load();
      } catch (error) {
        this.changeErrors = api.fieldErrors(error);
        this.changeMessage = error.message;
        if (error.code !== 'network_error') this.changeKey = null;
      }
    },
    async init() {
      this.id = this.$el.dataset.caseId;
      if (!(await api.requireMe())) return;
      await this.load();
    },
    async load() {
      try {
        this.item = await api.get('/applications/' + this.id);
        this.loaded = true;
      } catch (error) {
        this.message = error.message;
      }
    },
    async act(action) {
      this.message = '';
      try {
        this.item = await api.post('/applications/' + this.id + '/actions',
          { action, version: this.item.version });
      } catch (error) {
        this.message = error.message;
        await this.load();
      }
    },
    async reupload(event) {
      const input = event.target;
      const file = input.files[0];
      if (!file) return;
      const blob = await window.portalPhotos.scaleDown(file);
      const previous = (this.item.attachments || []).find((a) => a.kind === input.dataset.kind && a.current);
      this.pending = { kind: input.dataset.kind, blob, key: api.newKey(), replaces: previous && previous.id };
      input.value = '';
      await this.retryUpload();
    },
    async retryUpload() {
      const pending = this.pending;
      const form = new FormData();
      form.append('kind', pending.kind);
      if (pending.replaces) form.append('replaces', pending.replaces);
      form.append('file', pending.blob, pending.kind + '.jpg');
      this.uploading = true;
      this.canRetry = false;
      this.uploadMessage = '';
      try {
        await api.upload('/applications/' + this.id + '/attachments', form, pending.key,
          (fraction) => { this.percent = Math.round(fraction * 100); });
        this.pending = null;
        await this.load();
      } catch (error) {
        this.uploadMessage = error.message;
        this.canRetry = error.code === 'network_error' || error.status >= 500;
      } finally {
        this.uploading = false;
      }
    },
  }));
});
