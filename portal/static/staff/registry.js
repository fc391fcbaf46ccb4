// 婚姻登记: the day's appointments by half-day (check in by code or QR, no-show, complete),
// the office's slots and their capacity, special open days and closures, and ballots.
(function () {
  const { h, label, boot, fail, flash, showError, today, formData, dateTime } = window.staffUi;
  const dayForm = document.getElementById('day-form');
  const dialog = document.getElementById('checkin');
  const checkinForm = document.getElementById('checkin-form');
  let checkingIn = null;

  const office = () => dayForm.office.value;
  const api = window.staffApi;

  function partyText(party) {
    return party ? `${party.name}(${party.id_number})` : '';
  }

  function appointmentRow(appointment) {
    const buttons = [];
    if (appointment.status === 'booked') {
      buttons.push(h('button', { type: 'button', class: 'primary', onclick: () => openCheckIn(appointment) }, '签到'));
      buttons.push(h('button', { type: 'button', onclick: () => step(appointment, 'no-show', '已标记未到') }, '未到'));
    }
    if (appointment.status === 'checked_in') {
      buttons.push(h('button', { type: 'button', class: 'primary', onclick: () => step(appointment, 'complete', '已办结') }, '办结'));
    }
    return h('tr', { dataset: { id: appointment.id } },
      h('td', {}, label('service', appointment.service)),
      h('td', {}, partyText(appointment.party_a), appointment.party_b ? h('br') : null, partyText(appointment.party_b)),
      h('td', {}, label('appointment', appointment.status)),
      h('td', {}, h('div', { class: 'buttons' }, buttons)));
  }

  async function loadSheet() {
    const sheet = await api.get(`/registry-offices/${office()}/schedule?date=${dayForm.date.value}`);
    const parts = sheet.periods.map((period) => {
      const rows = sheet.appointments.filter((a) => a.slot.period === period.period).map(appointmentRow);
      return h('div', { class: 'period' },
        h('h3', {}, `${label('period', period.period)}:容量 ${period.capacity},已约 ${period.booked},已签到 ${period.checked_in},已办结 ${period.completed},未到 ${period.no_show},余 ${period.remaining}`),
        h('table', {},
          h('thead', {}, h('tr', {}, ['业务', '当事人', '状态', '操作'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '无预约')))));
    });
    document.getElementById('sheet-title').textContent = `${sheet.date} 预约`;
    document.getElementById('sheet').replaceChildren(...(parts.length ? parts : [h('p', { class: 'muted' }, '当日不办公或未放号。')]));
  }

  async function step(appointment, path, done) {
    try {
      await api.post(`/appointments/${appointment.id}/${path}`);
      flash(`${partyText(appointment.party_a)}:${done}`, 'ok');
      await loadSheet();
    } catch (error) {
      fail(error);
    }
  }

  function openCheckIn(appointment) {
    checkingIn = appointment;
    checkinForm.reset();
    document.getElementById('checkin-error').textContent = '';
    document.getElementById('scan-hint').textContent = '';
    document.getElementById('checkin-who').textContent =
      `${label('service', appointment.service)}:${partyText(appointment.party_a)} ${partyText(appointment.party_b)}`;
    dialog.showModal();
    checkinForm.checkin_code.focus();
  }

  function closeCheckIn() {
    window.staffScanner.stop();
    document.getElementById('camera').hidden = true;
    dialog.close();
  }

  async function checkIn() {
    const code = checkinForm.checkin_code.value.trim();
    try {
      await api.post(`/appointments/${checkingIn.id}/check-in`, { checkin_code: code });
    } catch (error) {
      document.getElementById('checkin-error').textContent = error.message;
      return;
    }
    closeCheckIn();
    flash(`${partyText(checkingIn.party_a)}:已签到`, 'ok');
    await loadSheet();
  }

  async function loadSlots(form) {
    const q = new URLSearchParams({ from: form.from.value, to: form.to.value, limit: 100 });
    const page = await api.get(`/registry-offices/${office()}/slots?${q}`);
    const rows = page.items.map((slot) => {
      const input = h('input', { type: 'number', min: 0, value: slot.capacity, 'aria-label': `${slot.date}${label('period', slot.period)}容量` });
      const save = async () => {
        try {
          await api.patch(`/slots/${slot.id}`, { capacity: Number(input.value) });
          flash(`${slot.date}${label('period', slot.period)}容量已改为 ${input.value}`, 'ok');
        } catch (error) { fail(error); }
      };
      return h('tr', {}, h('td', {}, slot.date), h('td', {}, label('period', slot.period)),
        h('td', {}, input, ' ', h('button', { type: 'button', onclick: save }, '保存')), h('td', {}, slot.remaining));
    });
    document.getElementById('slots').replaceChildren(h('table', {},
      h('thead', {}, h('tr', {}, ['日期', '时段', '容量', '余号'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '该期间无号源')))));
  }

  async function loadBallots() {
    const page = await api.get(`/registry-offices/${office()}/ballots?limit=20`);
    const rows = page.items.map((ballot) => h('tr', {},
      h('td', {}, ballot.date), h('td', {}, ballot.status === 'drawn' ? '已摇号' : '报名中'),
      h('td', {}, dateTime(ballot.entries_close_at)),
      h('td', {}, ballot.status === 'drawn' ? `种子 ${ballot.seed}` : h('button', {
        type: 'button', onclick: () => api.post(`/registry-offices/${office()}/ballots/${ballot.id}/draw`)
          .then(() => { flash(`${ballot.date} 已摇号`, 'ok'); return loadBallots(); }).catch(fail),
      }, '摇号'))));
    document.getElementById('ballots').replaceChildren(h('table', {},
      h('thead', {}, h('tr', {}, ['日期', '状态', '报名截止', '摇号'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '暂无摇号')))));
  }

  function submitted(form, run) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      run(form).catch((error) => showError(error, form));
    });
  }

  submitted(dayForm, loadSheet);
  submitted(document.getElementById('slots-form'), loadSlots);
  submitted(document.getElementById('generate-form'), async (form) => {
    const body = formData(form);
    body.am_capacity = Number(body.am_capacity);
    body.pm_capacity = Number(body.pm_capacity);
    const answer = await api.post(`/registry-offices/${office()}/slots/generate`, body);
    flash(`已生成 ${answer.created} 个时段`, 'ok');
  });
  submitted(document.getElementById('office-day-form'), async (form) => {
    const row = await api.post(`/registry-offices/${office()}/days`, formData(form));
    flash(`${row.date} 已设为${row.kind === 'open' ? '特别开放日' : '闭馆日'}`, 'ok');
  });
  document.getElementById('clear-day').addEventListener('click', async () => {
    const form = document.getElementById('office-day-form');
    try {
      await api.del(`/registry-offices/${office()}/days/${form.date.value}`);
      flash(`${form.date.value} 已恢复为按工作日历办公`, 'ok');
    } catch (error) { showError(error, form); }
  });
  submitted(document.getElementById('ballot-form'), async (form) => {
    await api.post(`/registry-offices/${office()}/ballots`, {
      date: form.date.value, entries_close_at: form.entries_close_at.value + ':00+08:00',
    });
    flash(`${form.date.value} 的结婚登记名额改为摇号`, 'ok');
    await loadBallots();
  });
  checkinForm.addEventListener('submit', (event) => { event.preventDefault(); checkIn().catch(fail); });
  document.getElementById('checkin-cancel').addEventListener('click', closeCheckIn);
  dialog.addEventListener('close', () => window.staffScanner.stop());
  document.getElementById('scan').addEventListener('click', async () => {
    const hint = document.getElementById('scan-hint');
    hint.textContent = '请将预约二维码对准摄像头';
    try {
      checkinForm.checkin_code.value = await window.staffScanner.scan(document.getElementById('camera'));
    } catch (error) {
      hint.textContent = error.message;
      return;
    }
    hint.textContent = '已识别二维码';
    await checkIn();
  });

  boot(['registrar', 'county_staff', 'admin'])
    .then(async () => {
      const offices = await api.get('/registry-offices?limit=100');
      dayForm.office.replaceChildren(...offices.items.map((o) => h('option', { value: o.id }, o.name)));
      dayForm.date.value = today();
      const slotsForm = document.getElementById('slots-form');
      slotsForm.from.value = today();
      slotsForm.to.value = window.staffUi.addDays(today(), 14);
      await Promise.all([loadSheet(), loadSlots(slotsForm), loadBallots()]);
    })
    .catch(fail);
})();
