// 长辈模式: larger type and buttons, fewer words; remembered on the phone.

const KEY = 'elder_mode';

function isOn(wx) {
  return wx.getStorageSync(KEY) === true;
}

function set(wx, on) {
  wx.setStorageSync(KEY, Boolean(on));
  return Boolean(on);
}

module.exports = { isOn, set };
