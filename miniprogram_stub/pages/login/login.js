// 登录: residents through WeChat (then 实名认证 once); agents and officers by password.
const { withCommon } = require('../../utils/page');
const { TABS } = require('../../logic/home');
const session = require('../../logic/session');

Page(
  withCommon({
    data: {
      mode: 'wechat',
      busy: false,
      username: '',
      password: '',
      realName: { name: '', id_number: '' },
      needsRealName: false,
      errors: {},
      message: '',
    },
    switchMode() {
      this.setData({ mode: this.data.mode === 'wechat' ? 'password' : 'wechat', errors: {}, message: '' });
    },
    onInput(event) {
      this.setData({ [event.currentTarget.dataset.field]: event.detail.value });
    },
    async wechatLogin() {
      this.setData({ busy: true, message: '' });
      try {
        const outcome = await session.signInWithWeChat(getApp().api);
        if (outcome.needsRealName) this.setData({ needsRealName: true });
        else this.done(outcome.next);
      } catch (error) {
        this.setData({ message: error.message });
      }
      this.setData({ busy: false });
    },
    async passwordLogin() {
      this.setData({ busy: true, message: '' });
      const { username, password } = this.data;
      const outcome = await session.signInWithPassword(getApp().api, { username, password });
      this.setData({ busy: false, errors: outcome.errors, message: outcome.message || '' });
      if (outcome.user) this.done(outcome.next);
    },
    async verify() {
      this.setData({ busy: true });
      const outcome = await session.verifyRealName(getApp().api, wx, this.data.realName);
      this.setData({ busy: false, errors: outcome.errors, message: outcome.message || '' });
      if (outcome.user) this.done('/pages/home/home');
    },
    done(url) {
      if (TABS.includes(url)) wx.switchTab({ url });
      else wx.redirectTo({ url });
    },
  }),
);
