import { mount } from 'svelte';
import './styles/tokens.css';
import './styles/dialog.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
