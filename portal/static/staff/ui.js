// Shared pieces of the workbench pages: building elements, Chinese labels, messages, the
// signed-in account and the navigation it may use, and the password re-entry dialog.
(function () {
  const LABELS = {
    status: {
      draft: '草稿', submitted: '待受理', returned: '已退回补正', withdrawn: '已撤回',
      accepted: '已受理待调查', investigated: '已调查待审核', publicizing: '公示中',
      pending_confirmation: '待县级确认', approved: '已批准', rejected: '不予批准',
      under_rereview: '复核中', exiting: '渐退中', terminated: '已终止',
    },
    type: { dibao: '低保', elderly_allowance: '高龄津贴' },
    action: {
      submit: '提交', resubmit: '重新提交', withdraw: '撤回', accept: '受理',
      return: '退回补正', record_investigation: '登记入户调查', township_approve: '乡镇审核通过',
      record_county_investigation: '登记县级入户核查', register_objection: '登记公示异议',
      end_publicity: '公示期满', extend_deadline: '延长办理期限', county_approve: '县级确认批准',
      county_reject: '不予批准', start_rereview: '启动复核', continue: '复核维持',
      adjust: '调整保障金', gradual_exit: '渐退', terminate: '终止保障',
      end_gradual_exit: '渐退期满', create: '创建申请', propose_rejection: '提出不予批准意见',
    },
    relation: {
      self: '本人', spouse: '配偶', child: '子女', parent: '父母', grandparent: '祖父母/外祖父母',
      grandchild: '孙子女/外孙子女', sibling: '兄弟姐妹', other: '其他',
    },
    role: {
      citizen: '居民', agent: '村级代办员', township_staff: '乡镇工作人员',
      county_staff: '县级工作人员', registrar: '婚姻登记员', disaster_officer: '灾害信息员',
      admin: '管理员', system: '系统',
    },
    area: { urban: '城市', rural: '农村' },
    review: { unreviewed: '待审核', accepted: '已通过', needs_reupload: '需重新上传' },
    appointment: {
      booked: '已预约', checked_in: '已签到', completed: '已办结', cancelled: '已取消',
      no_show: '未到',
    },
    service: {
      marriage: '结婚登记', divorce: '离婚登记申请', divorce_certificate: '领取离婚证',
      reissue: '补领婚姻登记证',
    },
    period: { am: '上午', pm: '下午' },
    flag: { relative_of_staff: '近亲属' },
  };

  function label(group, value) {
    return (LABELS[group] && LABELS[group][value]) || value || '';
  }

  // h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child, ...)
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else if (name === 'class') node.className = value;
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (value === true) node.setAttribute(name, '');
      else node.setAttribute(name, value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function flash(message, kind) {
    const box = document.getElementById('flash');
    box.textContent = message || '';
    box.className = 'flash' + (kind ? ' ' + kind : '');
  }

  // The field errors of an API error as [dotted path, messages] pairs, nested objects
  // walked ({"data": {"investigators": [...]}} → "data.investigators").
  function fieldErrors(details, path) {
    if (Array.isArray(details)) {
      const texts = details.filter((item) => typeof item === 'string');
      const nested = details.filter((item) => item && typeof item === 'object');
      return [...(texts.length ? [[path, texts]] : []), ...nested.flatMap((item) => fieldErrors(item, path))];
    }
    if (!details || typeof details !== 'object') return [];
    return Object.entries(details).flatMap(([key, value]) => fieldErrors(value, path ? `${path}.${key}` : key));
  }

  // The input an error path names: one named by the whole path, else by its last name
  // ("data.investigators" → investigators, "household.members.0.name" → name).
  function inputFor(form, path) {
    const last = path.split('.').filter((part) => !/^[0-9]+$/.test(part)).pop();
    return form.querySelector(`[name="${path}"]`) || (last && form.querySelector(`[name="${last}"]`));
  }

  // An API error beside the field it names (inputs of `form`), and on top of the page.
  function showError(error, form) {
    if (form) {
      form.querySelectorAll('.field-error').forEach((node) => node.remove());
      form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
      for (const [path, messages] of fieldErrors((error && error.details) || {}, '')) {
        const input = inputFor(form, path);
        if (!input) continue;
        input.setAttribute('aria-invalid', 'true');
        (input.closest('label') || input.parentNode).append(h('span', { class: 'field-error' }, messages.join(';')));
      }
    }
    flash((error && error.message) || '操作失败', 'error');
  }

  function daysLeft(days) {
    if (days === null || days === undefined) return h('span', { class: 'muted' }, '—');
    if (days < 0) return h('span', { class: 'overdue' }, `已逾期 ${-days} 个工作日`);
    if (days === 0) return h('span', { class: 'overdue' }, '今日到期');
    return h('span', { class: days <= 3 ? 'soon' : '' }, `剩 ${days} 个工作日`);
  }

  function dateTime(iso) {
    if (!iso) return '';
    const at = new Date(iso);
    return at.toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
  }

  // The bureau's date (Asia/Shanghai), whatever the clock of the PC says its zone is:
  // deadlines, visits and the counter's day are all counted in it.
  function today() {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  }

  function addDays(isoDate, days) {
    const day = new Date(isoDate + 'T00:00:00Z');
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10);
  }

  function formData(form) {
    return Object.fromEntries(new FormData(form).entries());
  }

  // The password re-entry dialog, offered to api.js for decisions that want it.
  function setUpReauth(me) {
    const dialog = document.getElementById('reauth');
    const form = document.getElementById('reauth-form');
    const error = document.getElementById('reauth-error');
    window.staffApi.reauthenticate = () =>
      new Promise((resolve, reject) => {
        form.reset();
        error.textContent = '';
        const cancel = document.getElementById('reauth-cancel');
        function done() {
          form.removeEventListener('submit', onSubmit);
          cancel.removeEventListener('click', onCancel);
        }
        async function onSubmit(event) {
          event.preventDefault();
          try {
            await window.staffApi.login(me.username, form.password.value);
          } catch (failure) {
            error.textContent = failure.message;
            return;
          }
          done();
          dialog.close();
          resolve();
        }
        function onCancel() {
          done();
          dialog.close();
          reject({ code: 'cancelled', message: '已取消操作', details: {} });
        }
        form.addEventListener('submit', onSubmit);
        cancel.addEventListener('click', onCancel);
        dialog.showModal();
        form.password.focus();
      });
  }

  // Every signed-in page: who is here, the links their role may use, sign-out.
  async function boot(roles) {
    const me = await window.staffApi.get('/me');
    document.getElementById('who-name').textContent = `${me.name}(${label('role', me.role)})`;
    document.querySelectorAll('[data-roles]').forEach((item) => {
      item.hidden = !item.dataset.roles.split(' ').includes(me.role);
    });
    document.getElementById('sign-out').addEventListener('click', async () => {
      await window.staffApi.post('/auth/logout').catch(() => null);
      location.assign('/staff/login');
    });
    setUpReauth(me);
    if (roles && !roles.includes(me.role)) {
      flash('您的账号无权使用此页面', 'error');
      throw { code: 'forbidden', message: '您的账号无权使用此页面' };
    }
    return me;
  }

  // A plain table: column titles, rows of cells, and what to say when there are none.
  function table(titles, rows, empty) {
    return h('table', {},
      h('thead', {}, h('tr', {}, titles.map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows.length ? rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))
        : h('tr', {}, h('td', { colspan: titles.length, class: 'muted' }, empty || '暂无'))));
  }

  // The regions one level below `code`, as options of `select` (after an optional "all").
  async function regionOptions(select, code, all) {
    select.replaceChildren(...(all ? [h('option', { value: '' }, all)] : []));
    if (!code) return;
    const answer = await window.staffApi.get(`/regions?parent_code=${code}&limit=100`);
    select.append(...answer.items.map((region) => h('option', { value: region.code }, region.name)));
  }

  // Run `handler(form)` on submit; an API error lands beside the field it names.
  function onSubmit(form, handler) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      form.querySelectorAll('.field-error').forEach((node) => node.remove());
      handler(form).catch((error) => showError(error, form));
    });
  }

  function fail(error) {
    if (error && error.code !== 'cancelled') flash(error.message || '操作失败', 'error');
  }

  window.staffUi = {
    h, label, LABELS, flash, showError, daysLeft, dateTime, today, addDays, formData, boot, fail, table,
    regionOptions, onSubmit,
  };
})();
