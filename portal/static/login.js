// 登录 and 实名认证: phone + SMS code for residents, username + password for agents and
// staff; the tokens stay in httpOnly cookies ("session": "cookie").
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;

  // Only a path of this site, never another origin ("//evil", "/\\evil" or "https:").
  function nextPage(fallback) {
    const next = api.param('next');
    return next && /^\/(?![\/\\])/.test(next) ? next : fallback;
  }

  function landing(user) {
    if (user.role === 'citizen' && !user.real_name_verified) {
      return '/real-name?next=' + encodeURIComponent(nextPage('/'));
    }
    if (user.role === 'agent') return nextPage('/agent');
    if (user.role === 'disaster_officer') return nextPage('/disaster/report');
    if (user.role === 'citizen') return nextPage('/');
    return nextPage('/staff/');
  }

  Alpine.data('login', () => ({
    mode: 'sms',
    phone: '',
    code: '',
    requestId: '',
    debugCode: '',
    username: '',
    password: '',
    waiting: false,
    errors: {},
    message: '',
    get isSms() { return this.mode === 'sms'; },
    get isPassword() { return this.mode === 'password'; },
    useSms() { this.mode = 'sms'; this.message = ''; },
    usePassword() { this.mode = 'password'; this.message = ''; },
    fail(error) {
      this.errors = api.fieldErrors(error);
      this.message = error.message;
    },
    async sendCode() {
      this.errors = {};
      this.message = '';
      this.waiting = true;
      try {
        const sent = await api.post('/auth/sms-code', { phone: this.phone.trim() });
        this.requestId = sent.request_id;
        this.debugCode = sent.debug_code || '';
        this.message = '验证码已发送,' + Math.round(sent.expires_in / 60) + '分钟内有效';
      } catch (error) {
        this.fail(error);
      } finally {
        this.waiting = false;
      }
    },
    async loginWithCode() {
      await this.signIn({
        phone: this.phone.trim(), code: this.code.trim(), request_id: this.requestId || undefined,
      });
    },
    async loginWithPassword() {
      await this.signIn({ username: this.username.trim(), password: this.password });
    },
    async signIn(body) {
      this.errors = {};
      this.message = '';
      try {
        const signedIn = await api.post('/auth/login', Object.assign({ session: 'cookie' }, body));
        location.assign(landing(signedIn.user));
      } catch (error) {
        this.fail(error);
      }
    },
  }));

  // 实名认证: the name and number, with the proof an identity verifier gave (核验凭证).
  // A claim without it is answered by the server: outside production the stand-in's
  // refusal carries the proof, shown and filled in for a second 提交认证; where online
  // verification is closed (503) the message sends the resident to a bureau window.
  Alpine.data('realName', () => ({
    name: '',
    idNumber: '',
    verifyResult: '',
    debugProof: '',
    errors: {},
    message: '',
    async init() { await api.requireMe(); },
    async verify() {
      this.errors = {};
      this.message = '';
      const proof = this.verifyResult.trim();
      try {
        await api.post('/me/real-name', {
          name: this.name.trim(), id_number: this.idNumber.trim(), verify_result: proof || undefined,
        });
        location.assign(nextPage('/'));
      } catch (error) {
        const errors = api.fieldErrors(error);
        this.debugProof = errors.debug_verify_result || '';
        delete errors.debug_verify_result;
        this.errors = errors;
        this.message = error.message;
        if (this.debugProof && !proof) {
          this.verifyResult = this.debugProof;
          delete this.errors.verify_result;
          this.message = '演示环境已填入核验凭证,请再次提交';
        }
      }
    },
  }));
});
